"""Who may do what in the exchange app (grants as data, see accounts/roles.py)."""

from fangkong.accounts.roles import FIELD_ROLES, HEALTH_ROLES, HQ_ROLES, Role, grant

HANDOVER = FIELD_ROLES | HEALTH_ROLES | {Role.SYSADMIN}

# Hand-over between cities (协查): anyone who traces or screens sends and answers;
# headquarters and CDC carry files; partners are registered at city level.
grant(HANDOVER, "exchange.handoverrequest", {"view", "add", "answer"})
grant(FIELD_ROLES | HEALTH_ROLES, "exchange.handoverrequest", {"reveal"})
grant(HQ_ROLES | {Role.CDC, Role.SYSADMIN}, "exchange.handoverrequest", {"export", "receive"})
grant(HANDOVER, "exchange.partner", {"view"})
grant({Role.CITY_HQ, Role.SYSADMIN}, "exchange.partner", {"add", "change"})
grant({Role.CITY_HQ, Role.SYSADMIN, Role.DISCIPLINE, Role.CDC}, "exchange.refusal", {"view"})

# National report cards: health roles export them with the patient's identity (and
# record the acknowledgement); headquarters see and export them masked.
grant(HQ_ROLES | {Role.CDC, Role.MEDICAL}, "exchange.reportcard", {"view", "export"})
grant({Role.CDC, Role.MEDICAL}, "exchange.reportcard", {"reveal", "acknowledge"})
