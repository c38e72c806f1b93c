"""The dated clinical rule sets (R7-R10 thresholds): the set in force on a day, R7 of a
visit under the set of its day, and a new set added by headquarters from its effective
date on."""

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from fangkong.clinical import rules
from fangkong.clinical.models import ClinicalRules, ClinicVisit
from fangkong.core.access import invalid, require


def rules_in_force(day: dt.date) -> ClinicalRules:
    """The rule set in force on `day` (see DatedRuleSet.in_force)."""
    return ClinicalRules.in_force(day)


def visit_r7(visit: ClinicVisit, rules_by_day: Any = None) -> rules.R7Result:
    """R7 on the visit's findings, by the rules in force on the day it arrived; a list
    passes `ClinicalRules.in_force_by_day()` so the rule sets are read once for its rows."""
    day = timezone.localdate(visit.arrived_at)
    r = rules_by_day(day) if rules_by_day else rules_in_force(day)
    clinical = rules.clinical_items(
        temperature=visit.temperature,
        symptoms=visit.symptoms,
        imaging_pneumonia=visit.imaging_pneumonia,
        blood_typical=visit.blood_typical,
        r=r,
    )
    return rules.r7(visit.epi_items, clinical, False, r)


RULE_FIELDS = (
    "r7_min_epi",
    "r7_min_clinical_with_epi",
    "r7_min_clinical_without_epi",
    "fever_threshold",
    "r8_normal_days",
    "r8_negative_tests",
    "r8_test_gap_hours",
    "r9_report_hours",
    "r9_investigation_hours",
    "r9_emergency_hours",
    "r10_cluster_threshold",
    "r10_window_days",
    "onset_max_days",
    "note",
)


@transaction.atomic
def save_rules(user: Any, data: dict[str, Any]) -> ClinicalRules:
    """Add a rule set from its effective date on (headquarters). A set already in
    force is history and is not rewritten; unset values follow the set before it."""
    require(
        user,
        "change",
        "clinical.clinicalrules",
        message=_("only headquarters may change the rules"),
    )
    obj = ClinicalRules.draft(data.get("effective_from"), amend_future=True)
    base = ClinicalRules.objects.filter(effective_from__lt=obj.effective_from).first()
    for name in RULE_FIELDS:
        value = data.get(name)
        if value is None or value == "":
            value = getattr(base, name) if base is not None and obj.pk is None else None
        if value is not None:
            setattr(obj, name, value)
    if not 1 <= int(obj.r10_cluster_threshold) <= 50:
        raise invalid("r10_cluster_threshold", _("between 1 and 50 cases"))
    if int(obj.r9_report_hours) < 1 or int(obj.r9_investigation_hours) < 1:
        raise invalid("r9_report_hours", _("a reporting window is at least one hour"))
    return obj.save_by(user)
