"""Who may do what on the clinical pathway (imported from ClinicalConfig.ready).

Medical staff run visits, cases, samples and transfers; the CDC reports, investigates
and imports lab results; headquarters watches everything in its subtree and arranges
facilities and beds."""

from fangkong.accounts.roles import HQ_ROLES, Role, grant

MEDICAL = {Role.MEDICAL}
CDC = {Role.CDC}
WATCHERS = HQ_ROLES | MEDICAL | CDC | {Role.SYSADMIN}
CLINICAL = MEDICAL | CDC

grant(WATCHERS, "clinical.clinicalrules", {"view"})
grant({Role.CITY_HQ, Role.SYSADMIN}, "clinical.clinicalrules", {"change"})

for model in ("facility", "ward", "bed", "expertteam"):
    grant(WATCHERS, f"clinical.{model}", {"view"})
    grant({Role.CITY_HQ, Role.COUNTY_HQ, Role.SYSADMIN}, f"clinical.{model}", {"add", "change"})
grant(MEDICAL, "clinical.ward", {"change"})
grant(MEDICAL, "clinical.bed", {"change"})

grant(WATCHERS, "clinical.clinicvisit", {"view"})
grant(MEDICAL, "clinical.clinicvisit", {"add", "change"})

grant(WATCHERS, "clinical.case", {"view"})
grant(MEDICAL, "clinical.case", {"classify", "change", "discharge"})
grant(CDC, "clinical.case", {"report", "investigate"})
grant(MEDICAL, "clinical.case", {"report"})
grant(HQ_ROLES | CDC | {Role.SYSADMIN}, "clinical.case", {"export"})

grant(WATCHERS, "clinical.sample", {"view"})
grant(CLINICAL, "clinical.sample", {"add", "change"})

grant(WATCHERS, "clinical.transfer", {"view"})
grant(MEDICAL | HQ_ROLES, "clinical.transfer", {"add", "change"})

grant(WATCHERS, "clinical.investigation", {"view"})
grant(CLINICAL, "clinical.investigation", {"change"})
grant(WATCHERS, "clinical.exposure", {"view"})
grant(CLINICAL, "clinical.exposure", {"add"})

grant(WATCHERS, "clinical.cluster", {"view"})
grant(CDC | HQ_ROLES, "clinical.cluster", {"report"})

# A fever clinic receives the persons that door-to-door screening referred to it: its
# doctors read the screening tasks of their area (the board lists only those with the
# outcome "fever clinic" and a pending hand-over).
grant(MEDICAL, "screening.screeningtask", {"view"})
