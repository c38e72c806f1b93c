"""Who may read and compute briefings (imported from BriefingConfig.ready)."""

from fangkong.accounts.roles import HQ_ROLES, Role, grant

READERS = {str(r) for r in HQ_ROLES | {Role.CDC, Role.SYSADMIN, Role.ORGANISATION, Role.DISCIPLINE}}
READERS |= {str(Role.VILLAGE_STAFF), str(Role.MEDICAL)}
COMPUTERS = {str(r) for r in HQ_ROLES | {Role.CDC, Role.SYSADMIN}}

grant(READERS, "briefing.briefing", {"view"})
grant(COMPUTERS, "briefing.briefing", {"add"})
grant(READERS, "briefing.briefingrules", {"view"})
grant({str(Role.CITY_HQ), str(Role.SYSADMIN), str(Role.CDC)}, "briefing.briefingrules", {"change"})
# R16 (five-colour map) rule sets: read by briefing readers, edited by city headquarters.
grant(READERS, "briefing.riskrules", {"view"})
grant({str(Role.CITY_HQ), str(Role.SYSADMIN)}, "briefing.riskrules", {"change"})
