"""Who may do what with self-declarations and appeals."""

from fangkong.accounts.roles import ALL, FIELD_ROLES, HQ_ROLES, Role, grant

STAFF = {str(r) for r in FIELD_ROLES | {Role.CDC, Role.SYSADMIN}}
DECIDERS = {str(r) for r in HQ_ROLES | {Role.VILLAGE_STAFF, Role.CDC}}

grant({str(r) for r in ALL}, "selfservice.selfservicerules", {"view"})
grant(STAFF, "selfservice.declaration", {"view"})
grant(DECIDERS | {str(Role.SYSADMIN)}, "selfservice.appeal", {"view"})
grant(DECIDERS, "selfservice.appeal", {"decide"})
