"""Who may do what with supplies (imported from SuppliesConfig.ready).

Supplies officers run warehouses, approve and ship requests and report prices;
headquarters watches and approves; medical facilities, quarantine sites and village
staff request supplies and confirm receipt; market monitors are supplies officers."""

from fangkong.accounts.roles import HQ_ROLES, Role, grant

OFFICERS = {Role.SUPPLIES}
REQUESTERS = {Role.MEDICAL, Role.QUARANTINE_SITE, Role.VILLAGE_STAFF}
STOCK_KEEPERS = OFFICERS | HQ_ROLES | {Role.SYSADMIN}
WATCHERS = STOCK_KEEPERS | REQUESTERS | {Role.CDC}

for model in ("item", "batch", "supplyrules"):
    grant(WATCHERS, f"supplies.{model}", {"view"})
grant(OFFICERS | {Role.CITY_HQ, Role.SYSADMIN}, "supplies.item", {"add", "change"})
grant({Role.CITY_HQ, Role.SYSADMIN}, "supplies.supplyrules", {"change"})

grant(WATCHERS, "supplies.warehouse", {"view"})
grant(
    STOCK_KEEPERS,
    "supplies.warehouse",
    {"add", "change", "receive", "issue", "adjust", "approve", "export"},
)
# A hospital or site keeps its own store: it receives and issues, and approves nothing.
grant({Role.MEDICAL, Role.QUARANTINE_SITE}, "supplies.warehouse", {"receive", "issue"})

grant(WATCHERS, "supplies.balance", {"view"})
grant(WATCHERS, "supplies.ledgerentry", {"view"})
grant(STOCK_KEEPERS, "supplies.ledgerentry", {"export"})

grant(STOCK_KEEPERS, "supplies.donation", {"view", "add", "change"})

grant(WATCHERS, "supplies.supplyrequest", {"view"})
grant(REQUESTERS | STOCK_KEEPERS, "supplies.supplyrequest", {"add", "receive", "export"})

grant(STOCK_KEEPERS | {Role.VILLAGE_STAFF}, "supplies.market", {"view"})
grant(STOCK_KEEPERS, "supplies.market", {"add", "change", "report"})
grant(STOCK_KEEPERS | {Role.VILLAGE_STAFF}, "supplies.pricereport", {"view"})
grant(STOCK_KEEPERS, "supplies.pricereport", {"export"})
grant(STOCK_KEEPERS, "supplies.pricebaseline", {"view"})
grant(
    {Role.CITY_HQ, Role.COUNTY_HQ, Role.SUPPLIES, Role.SYSADMIN},
    "supplies.pricebaseline",
    {"change"},
)
