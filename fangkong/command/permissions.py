"""Who may do what in command (imported from CommandConfig.ready)."""

from fangkong.accounts.roles import ALL, FIELD_ROLES, HQ_ROLES, Role, grant

HQ = HQ_ROLES | {Role.SYSADMIN}
READERS = FIELD_ROLES | {Role.CDC, Role.SYSADMIN, Role.ORGANISATION, Role.DISCIPLINE}

grant(ALL, "command.responselevel", {"view"})
grant({Role.CITY_HQ, Role.SYSADMIN}, "command.responselevel", {"add", "change"})
for model in (
    "target",
    "indicator",
    "indicatorvalue",
    "measurelist",
    "measurestatus",
    "taskforce",
    "meeting",
    "decision",
):
    grant(READERS, f"command.{model}", {"view"})
    grant(HQ, f"command.{model}", {"add", "change"})
grant({Role.VILLAGE_STAFF}, "command.measurestatus", {"change"})
grant({Role.VILLAGE_STAFF}, "command.target", {"change"})  # record indicator values
grant(READERS, "command.directive", {"view"})
grant(HQ, "command.directive", {"add", "change"})
grant(READERS, "command.directivereceipt", {"view"})
grant(HQ | {Role.VILLAGE_STAFF}, "command.directivereceipt", {"change"})  # acknowledge
# Reports upward are filled in from the village up: a grid worker has none to file.
REPORTERS = READERS - {Role.GRID_WORKER}
grant(REPORTERS, "command.reporttemplate", {"view"})
grant(HQ, "command.reporttemplate", {"add", "change"})
grant(REPORTERS, "command.submission", {"view"})
grant(HQ | {Role.VILLAGE_STAFF}, "command.submission", {"add"})
