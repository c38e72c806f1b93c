"""Who may do what on the public side (imported from PublicConfig.ready)."""

from fangkong.accounts.roles import FIELD_ROLES, HQ_ROLES, Role, grant

HQ = HQ_ROLES | {Role.SYSADMIN}
STAFF = FIELD_ROLES | {Role.CDC, Role.SYSADMIN}

# Grid workers report rumours and handle gatherings in their grid; draft bulletins, the
# public's questions and return-to-work applications are not their work.
NOT_GRID = STAFF - {Role.GRID_WORKER}
grant(NOT_GRID | {Role.DISCIPLINE}, "public.bulletin", {"view"})
grant(HQ | {Role.CDC}, "public.bulletin", {"add", "change"})
grant(HQ, "public.bulletin", {"publish"})
grant(STAFF, "public.article", {"view"})
grant(HQ | {Role.CDC}, "public.article", {"add", "change"})
grant(STAFF, "public.rumour", {"view", "add"})
grant(HQ | {Role.CDC}, "public.rumour", {"change"})
grant(NOT_GRID | {Role.DISCIPLINE}, "public.question", {"view"})
grant(HQ | {Role.VILLAGE_STAFF}, "public.question", {"change"})
grant(HQ, "public.question", {"escalate"})
grant(NOT_GRID | {Role.DISCIPLINE}, "public.workapplication", {"view"})
grant(HQ | {Role.VILLAGE_STAFF}, "public.workapplication", {"add", "inspect"})
grant(HQ, "public.workapplication", {"approve"})
# Reopening schools is planned by headquarters and village/community staff with the CDC,
# not by grid workers.
grant(NOT_GRID, "public.schoolplan", {"view", "add"})
grant(HQ, "public.schoolplan", {"approve"})
grant(STAFF | {Role.DISCIPLINE}, "public.gathering", {"view"})
grant(HQ | {Role.VILLAGE_STAFF, Role.GRID_WORKER}, "public.gathering", {"add", "change"})
