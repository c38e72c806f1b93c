"""Who may do what with tracing records (imported from TracingConfig.ready)."""

from fangkong.accounts.roles import ALL, FIELD_ROLES, HQ_ROLES, Role, grant

INVESTIGATORS = {str(r) for r in HQ_ROLES | {Role.CDC, Role.MEDICAL, Role.SYSADMIN}}
FIELD = {str(r) for r in FIELD_ROLES | {Role.SYSADMIN}}

grant({str(r) for r in ALL}, "tracing.tracingrules", {"view"})
grant(INVESTIGATORS | FIELD, "tracing.indexcase", {"view"})
grant(INVESTIGATORS, "tracing.indexcase", {"add", "change"})
grant(INVESTIGATORS | FIELD, "tracing.contact", {"view"})
grant(INVESTIGATORS, "tracing.contact", {"add", "change"})
grant(INVESTIGATORS, "tracing.transmissionedge", {"view", "add"})
grant(INVESTIGATORS, "tracing.chain", {"view", "compute"})
grant(INVESTIGATORS | FIELD, "tracing.venue", {"view"})
grant(FIELD | INVESTIGATORS, "tracing.venue", {"add", "change"})
grant(INVESTIGATORS | FIELD, "tracing.scan", {"view", "add"})
