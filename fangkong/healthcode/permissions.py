"""Who may do what with health codes (imported from HealthCodeConfig.ready)."""

from fangkong.accounts.roles import ALL, FIELD_ROLES, HQ_ROLES, Role, grant

READERS = {
    str(r) for r in FIELD_ROLES | {Role.CDC, Role.MEDICAL, Role.QUARANTINE_SITE, Role.SYSADMIN}
}
HQ = {str(r) for r in HQ_ROLES}

grant({str(r) for r in ALL}, "healthcode.coderules", {"view"})
grant(READERS, "healthcode.healthcode", {"view", "verify"})
grant(READERS, "healthcode.codechange", {"view"})
grant(READERS, "healthcode.arrival", {"view"})
grant({str(r) for r in FIELD_ROLES | {Role.CDC}}, "healthcode.arrival", {"add"})
grant(READERS, "healthcode.dailycheckin", {"view"})
grant(READERS, "healthcode.codeoverride", {"view"})
grant(HQ, "healthcode.codeoverride", {"add"})
grant(HQ | {str(Role.CDC), str(Role.SYSADMIN)}, "healthcode.healthcode", {"recompute"})
