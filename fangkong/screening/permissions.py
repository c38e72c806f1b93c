"""Who may do what in screening; imported from the AppConfig."""

from fangkong.accounts.roles import HQ_ROLES, Role, grant

FIELD = HQ_ROLES | {Role.VILLAGE_STAFF, Role.GRID_WORKER}
MANAGERS = HQ_ROLES | {Role.VILLAGE_STAFF}

# Pushed lists and their sources: headquarters upload; villages read their reports.
grant(HQ_ROLES, "screening.listsource", {"view", "add", "change"})
grant({Role.VILLAGE_STAFF}, "screening.listsource", {"view"})
# Grids' address keys: towns and above import them for their area; villages read theirs.
grant(MANAGERS, "geo.gridaddresskey", {"view"})
grant(HQ_ROLES, "geo.gridaddresskey", {"add", "change", "delete"})
grant(MANAGERS, "screening.pushedlist", {"view", "add", "export"})
grant(MANAGERS, "screening.pushedrow", {"view"})
grant(MANAGERS, "screening.importrejection", {"view"})

# Subjects and tasks: everyone in the field sees those of their subtree; grid workers
# and village staff visit; anyone in the field may hand a task on.
grant(FIELD, "screening.screeningsubject", {"view"})
grant(FIELD, "screening.screeningtask", {"view", "visit", "transfer"})
grant(MANAGERS, "screening.screeningtask", {"export"})
grant(FIELD, "screening.visit", {"view"})

# Address aliases and the exceptions queue: towns and above place rows by hand.
grant(MANAGERS, "screening.addressalias", {"view"})
grant(HQ_ROLES, "screening.addressalias", {"add", "change", "delete"})
grant(MANAGERS, "screening.exceptionitem", {"view"})
grant(HQ_ROLES, "screening.exceptionitem", {"change"})

# Dated rules: headquarters read; city headquarters edit (in the admin).
grant(HQ_ROLES | {Role.SYSADMIN}, "screening.screeningrules", {"view"})
grant({Role.CITY_HQ, Role.SYSADMIN}, "screening.screeningrules", {"add", "change"})

# Self-declarations about persons already registered wait for their village or town.
grant(MANAGERS, "screening.declarationreview", {"view", "review"})
