"""Who may do what with observation records (imported from ObservationConfig.ready)."""

from fangkong.accounts.roles import ALL, FIELD_ROLES, HQ_ROLES, Role, grant

SITE_ROLES = {Role.QUARANTINE_SITE, Role.MEDICAL}
WATCHERS = FIELD_ROLES | SITE_ROLES | {Role.CDC, Role.SYSADMIN}

grant(ALL, "observation.observationrules", {"view"})
grant({Role.CITY_HQ, Role.SYSADMIN}, "observation.observationrules", {"change"})

grant(WATCHERS, "observation.quarantinesite", {"view"})
grant(HQ_ROLES | {Role.SYSADMIN}, "observation.quarantinesite", {"add", "change"})
grant({Role.QUARANTINE_SITE}, "observation.quarantinesite", {"change"})
grant(WATCHERS, "observation.room", {"view"})

grant(WATCHERS, "observation.observationperiod", {"view"})
grant(FIELD_ROLES | SITE_ROLES | {Role.CDC}, "observation.observationperiod", {"add", "change"})
grant(
    HQ_ROLES | {Role.VILLAGE_STAFF} | SITE_ROLES | {Role.CDC},
    "observation.observationperiod",
    {"release", "export"},
)
grant(WATCHERS, "observation.placement", {"view"})
grant(WATCHERS, "observation.checkin", {"view"})
grant(FIELD_ROLES | SITE_ROLES, "observation.checkin", {"add"})
grant(WATCHERS, "observation.alerttask", {"view"})
grant(FIELD_ROLES | SITE_ROLES, "observation.alerttask", {"change"})
grant(WATCHERS, "observation.referral", {"view"})
grant({Role.MEDICAL, Role.CDC}, "observation.referral", {"change"})
