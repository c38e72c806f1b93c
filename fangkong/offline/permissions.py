"""Who may work offline and who sees the phones' sync status (from OfflineConfig.ready)."""

from fangkong.accounts.roles import HQ_ROLES, Role, grant

# Those who go to the doors and gates without a signal: the grid, the village and the
# town's cadres sent down to them; a city's or county's headquarters works online.
WORKERS = {str(r) for r in {Role.TOWN_HQ, Role.VILLAGE_STAFF, Role.GRID_WORKER}}
MANAGERS = {str(r) for r in HQ_ROLES | {Role.VILLAGE_STAFF}}

grant(WORKERS, "offline.syncreceipt", {"view", "add"})
grant(MANAGERS, "offline.devicestatus", {"view"})
grant(WORKERS, "offline.devicestatus", {"add"})
grant(MANAGERS, "offline.orphanvisit", {"view", "change"})
grant({str(r) for r in HQ_ROLES | {Role.SYSADMIN}}, "offline.offlinerules", {"view"})
grant({str(Role.CITY_HQ), str(Role.SYSADMIN)}, "offline.offlinerules", {"add", "change"})
