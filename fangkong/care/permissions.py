"""Who may do what in care (imported from CareConfig.ready).

Field staff and headquarters see and handle difficulties of their subtree; the
organisation department too (it looks after the front line). Deeds are submitted by
field staff or the organisation department and reviewed by the organisation
department or headquarters, who may also commend."""

from fangkong.accounts.roles import FIELD_ROLES, HQ_ROLES, Role, grant

ORG = {Role.ORGANISATION}
HANDLERS = HQ_ROLES | {Role.VILLAGE_STAFF} | ORG
READERS = FIELD_ROLES | ORG | {Role.DISCIPLINE}

grant(READERS, "care.difficulty", {"view"})
grant(FIELD_ROLES | ORG, "care.difficulty", {"add"})
grant(HANDLERS, "care.difficulty", {"change", "reveal"})

grant(READERS, "care.deed", {"view"})
grant(FIELD_ROLES | ORG, "care.deed", {"add"})
grant(HQ_ROLES | ORG, "care.deed", {"review"})
grant(READERS, "care.deedphoto", {"view"})

grant(READERS | {Role.SYSADMIN}, "care.carerules", {"view"})
grant({Role.CITY_HQ}, "care.carerules", {"add"})  # city-wide rules
grant(READERS | {Role.SYSADMIN}, "care.category", {"view"})
grant({Role.CITY_HQ}, "care.category", {"change"})
