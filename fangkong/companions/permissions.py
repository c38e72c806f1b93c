"""Who may do what with companion detection; imported from the AppConfig."""

from fangkong.accounts.roles import HQ_ROLES, Role, grant

READERS = HQ_ROLES | {Role.CDC, Role.SYSADMIN}
RUNNERS = {Role.CITY_HQ, Role.COUNTY_HQ, Role.CDC, Role.SYSADMIN}
DECIDERS = HQ_ROLES | {Role.CDC}

grant(READERS, "companions.companionrun", {"view"})
grant(RUNNERS, "companions.companionrun", {"add"})
grant(READERS, "companions.runcase", {"view"})
grant(READERS, "companions.candidateexposure", {"view"})
grant(DECIDERS, "companions.candidateexposure", {"decide"})
grant(READERS, "companions.companionrules", {"view"})
