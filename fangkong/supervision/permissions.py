"""Who may do what in supervision (imported from SupervisionConfig.ready).

Accountability cases are seen only by the organisation department, discipline
inspection and city/county headquarters — not the system administrator, not the
field (privacy of cadre records)."""

from fangkong.accounts.roles import FIELD_ROLES, HQ_ROLES, Role, grant

INSPECTORS = HQ_ROLES | {Role.DISCIPLINE}
READERS = FIELD_ROLES | {Role.DISCIPLINE, Role.ORGANISATION, Role.SYSADMIN}
CASE_READERS = {Role.ORGANISATION, Role.DISCIPLINE, Role.CITY_HQ, Role.COUNTY_HQ}

grant(READERS | {Role.CDC, Role.MEDICAL, Role.SUPPLIES}, "supervision.checklist", {"view"})
grant({Role.DISCIPLINE, Role.CITY_HQ}, "supervision.checklist", {"change"})
grant(INSPECTORS | {Role.ORGANISATION, Role.SYSADMIN}, "supervision.supervisionruleset", {"view"})
grant({Role.DISCIPLINE, Role.CITY_HQ}, "supervision.supervisionruleset", {"add"})
for model in ("inspectionplan", "inspectionteam"):
    grant(INSPECTORS | {Role.ORGANISATION}, f"supervision.{model}", {"view"})
    grant(INSPECTORS, f"supervision.{model}", {"add", "change"})
for model in ("inspection", "checkresult", "finding", "evidencephoto"):
    grant(READERS, f"supervision.{model}", {"view"})
    grant(INSPECTORS, f"supervision.{model}", {"add", "change"})
grant(READERS, "supervision.rectification", {"view"})
grant(INSPECTORS, "supervision.rectification", {"add", "verify"})
grant(FIELD_ROLES, "supervision.rectification", {"change"})  # the owner's reply
grant(CASE_READERS, "supervision.accountabilitycase", {"view"})
grant(CASE_READERS, "supervision.accountabilitydecision", {"view"})
grant({Role.ORGANISATION, Role.DISCIPLINE}, "supervision.accountabilitycase", {"add"})
grant(READERS, "supervision.commendation", {"view"})
grant(HQ_ROLES | {Role.ORGANISATION, Role.DISCIPLINE}, "supervision.commendation", {"add"})
grant(INSPECTORS | {Role.ORGANISATION}, "supervision.inspection", {"export"})
