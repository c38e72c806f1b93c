"""Who may do what with mobilisation records (imported from MobilisationConfig.ready).

The organisation department keeps organisations, units and members of its subtree;
community (village) staff confirm registrations and roster their community's posts;
headquarters see everything of their subtree and run posts; discipline inspection
reads members and rosters (a cadre's front-line record)."""

from fangkong.accounts.roles import HQ_ROLES, Role, grant

ORG = {Role.ORGANISATION}
STAFF = {Role.VILLAGE_STAFF}
ROSTERERS = STAFF | HQ_ROLES
READERS = ORG | ROSTERERS | {Role.DISCIPLINE, Role.GRID_WORKER}

grant(READERS | {Role.SYSADMIN}, "mobilisation.partyorganisation", {"view"})
grant(READERS | {Role.SYSADMIN}, "mobilisation.unit", {"view"})
grant(ORG | HQ_ROLES, "mobilisation.partyorganisation", {"add", "change"})
grant(ORG | HQ_ROLES, "mobilisation.unit", {"add", "change"})

grant(READERS, "mobilisation.member", {"view"})
grant(ORG | STAFF | HQ_ROLES, "mobilisation.member", {"add", "change"})
grant(ORG | STAFF, "mobilisation.member", {"reveal"})

grant(READERS, "mobilisation.registration", {"view"})
grant(STAFF | HQ_ROLES, "mobilisation.registration", {"decide"})

for model in ("post", "shift", "assignment", "ppeissue"):
    grant(READERS, f"mobilisation.{model}", {"view"})
grant(ROSTERERS, "mobilisation.post", {"add", "change"})
grant(ROSTERERS, "mobilisation.shift", {"add", "change"})
grant(ROSTERERS, "mobilisation.assignment", {"add", "delete"})
grant(ROSTERERS, "mobilisation.ppeissue", {"add"})

grant(READERS | {Role.SYSADMIN}, "mobilisation.restruleset", {"view"})
grant({Role.CITY_HQ, Role.SYSADMIN}, "mobilisation.restruleset", {"add"})
