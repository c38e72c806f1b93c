"""Business rules of the clinical pathway as plain functions over plain values.

`r` is anything with the ClinicalRules attributes (a row, or a plain object in tests).
Each rule returns which criteria are met, so pages can show why it proposes what it does.
"""

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field
from decimal import Decimal
from typing import Any

from fangkong.clinical.choices import RESPIRATORY, ClinicalItem, EpiItem, Status


@dataclass(frozen=True)
class R7Result:
    """Which R7 items are met and the class they propose (None: not a suspected case)."""

    epi: tuple[str, ...]
    clinical: tuple[str, ...]
    nat_positive: bool
    proposed: str | None

    def as_dict(self) -> dict[str, Any]:
        return {
            "epi": list(self.epi),
            "clinical": list(self.clinical),
            "nat_positive": self.nat_positive,
            "proposed": self.proposed,
        }


def clinical_items(
    *,
    temperature: Decimal | None,
    symptoms: Iterable[str],
    imaging_pneumonia: bool,
    blood_typical: bool,
    r: Any,
) -> tuple[str, ...]:
    """The R7 clinical manifestations present in a visit's findings."""
    found = []
    symptoms = set(symptoms)
    febrile = temperature is not None and Decimal(temperature) >= Decimal(r.fever_threshold)
    if febrile or "fever" in symptoms or symptoms & RESPIRATORY:
        found.append(ClinicalItem.FEVER_RESPIRATORY.value)
    if imaging_pneumonia:
        found.append(ClinicalItem.IMAGING.value)
    if blood_typical:
        found.append(ClinicalItem.BLOOD.value)
    return tuple(found)


def r7(epi: Iterable[str], clinical: Iterable[str], nat_positive: bool, r: Any) -> R7Result:
    """R7: suspected = ≥1 epidemiological + ≥2 clinical, or 3 clinical without;
    confirmed = suspected + a positive nucleic acid test."""
    epi_met = tuple(e for e in EpiItem.values if e in set(epi))
    clin_met = tuple(c for c in ClinicalItem.values if c in set(clinical))
    suspected = (
        len(epi_met) >= r.r7_min_epi and len(clin_met) >= r.r7_min_clinical_with_epi
    ) or len(clin_met) >= r.r7_min_clinical_without_epi
    proposed = None
    if suspected:
        proposed = Status.CONFIRMED.value if nat_positive else Status.SUSPECTED.value
    return R7Result(epi_met, clin_met, nat_positive, proposed)


@dataclass(frozen=True)
class R8Result:
    """The discharge criteria, each met or not, with what was found."""

    temperature_normal: bool
    normal_days: int
    symptoms_improved: bool
    imaging_improved: bool
    negative_tests: bool
    negatives_found: int
    met: bool = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(
            self,
            "met",
            self.temperature_normal
            and self.symptoms_improved
            and self.imaging_improved
            and self.negative_tests,
        )

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def normal_days(daily: Sequence[tuple[dt.date, Decimal]], today: dt.date, r: Any) -> int:
    """Consecutive days with a normal highest temperature, counted back from `today`
    (or yesterday when today has no reading yet). A missing day breaks the run."""
    by_day = {d: Decimal(t) for d, t in daily}
    day = today if today in by_day else today - dt.timedelta(days=1)
    n = 0
    while day in by_day and by_day[day] < Decimal(r.fever_threshold):
        n += 1
        day -= dt.timedelta(days=1)
    return n


def spaced_negatives(negatives: Iterable[dt.datetime], gap_hours: int) -> int:
    """The most negative samples (by time taken) that are pairwise ≥ gap apart,
    picked greedily from the latest backwards."""
    gap = dt.timedelta(hours=gap_hours)
    picked: list[dt.datetime] = []
    for t in sorted(negatives, reverse=True):
        if not picked or picked[-1] - t >= gap:
            picked.append(t)
    return len(picked)


def r8(
    *,
    daily: Sequence[tuple[dt.date, Decimal]],
    symptoms_improved: bool,
    imaging_improved: bool,
    negatives_after_last_positive: Iterable[dt.datetime],
    today: dt.date,
    r: Any,
) -> R8Result:
    """R8: normal temperature for more than `r8_normal_days` days, symptoms and imaging
    improved, `r8_negative_tests` negative tests ≥ `r8_test_gap_hours` apart."""
    days = normal_days(daily, today, r)
    found = spaced_negatives(negatives_after_last_positive, r.r8_test_gap_hours)
    return R8Result(
        temperature_normal=days > r.r8_normal_days,
        normal_days=days,
        symptoms_improved=symptoms_improved,
        imaging_improved=imaging_improved,
        negative_tests=found >= r.r8_negative_tests,
        negatives_found=found,
    )


@dataclass(frozen=True)
class Deadlines:
    report: dt.datetime | None
    investigation: dt.datetime | None
    emergency: dt.datetime | None


def deadlines(*, status: str, diagnosed_at: dt.datetime, county_first: bool, r: Any) -> Deadlines:
    """R9: a reportable class is reported within 2 h of diagnosis and investigated
    within 24 h; a county's first case also needs an emergency report within 2 h."""
    if status not in (Status.SUSPECTED, Status.CONFIRMED, Status.ASYMPTOMATIC):
        return Deadlines(None, None, None)
    return Deadlines(
        report=diagnosed_at + dt.timedelta(hours=r.r9_report_hours),
        investigation=diagnosed_at + dt.timedelta(hours=r.r9_investigation_hours),
        emergency=(
            diagnosed_at + dt.timedelta(hours=r.r9_emergency_hours) if county_first else None
        ),
    )


def clock_state(due: dt.datetime | None, done: dt.datetime | None, now: dt.datetime) -> str:
    """'' (no clock), 'running', 'overdue', 'met' (done in time) or 'late' (done late)."""
    if due is None:
        return ""
    if done is not None:
        return "met" if done <= due else "late"
    return "running" if now <= due else "overdue"


def is_cluster(diagnosed: Sequence[dt.datetime], at: dt.datetime, r: Any) -> bool:
    """R10: at least `r10_cluster_threshold` linked cases in one setting diagnosed within
    `r10_window_days` days up to `at`."""
    start = at - dt.timedelta(days=r.r10_window_days)
    return sum(1 for d in diagnosed if start <= d <= at) >= r.r10_cluster_threshold


ALLOWED = {
    "": {Status.SUSPECTED, Status.CONFIRMED, Status.ASYMPTOMATIC},
    Status.SUSPECTED: {Status.CONFIRMED, Status.EXCLUDED, Status.ASYMPTOMATIC},
    Status.ASYMPTOMATIC: {Status.CONFIRMED, Status.EXCLUDED},
    Status.CONFIRMED: {Status.CONFIRMED},  # a change of severity
    Status.EXCLUDED: {Status.SUSPECTED},
}


def may_move(current: str, target: str) -> bool:
    return target in ALLOWED.get(current, set())


def distribution(hours: Iterable[float], edges: Sequence[int] = (6, 12, 24, 48)) -> list[dict]:
    """Counts per bucket of hours (e.g. confirmation → admission): <6, 6–12, … , ≥48."""
    values = list(hours)
    out = []
    low = 0
    for high in [*edges, None]:
        n = sum(1 for h in values if h >= low and (high is None or h < high))
        out.append({"from": low, "to": high, "n": n})
        low = high or 0
    return out


def median(values: Sequence[float]) -> float | None:
    if not values:
        return None
    s = sorted(values)
    mid = len(s) // 2
    return s[mid] if len(s) % 2 else (s[mid - 1] + s[mid]) / 2


def onset_problem(
    onset: dt.date,
    *,
    today: dt.date,
    diagnosed: dt.date,
    confirmed: dt.date | None,
    reported: dt.date | None,
    max_days: int,
) -> str | None:
    """Why a symptom-onset date cannot be right (None when it can): never in the future,
    not after the confirmation or report date, and not more than `max_days` (the rule
    set's bound) before the diagnosis."""
    from django.utils.translation import gettext as _

    if onset > today:
        return _("the onset date cannot be in the future")
    if confirmed is not None and onset > confirmed:
        return _("the onset date cannot be after the confirmation date (%s)") % confirmed
    if reported is not None and onset > reported:
        return _("the onset date cannot be after the report date (%s)") % reported
    if onset < diagnosed - dt.timedelta(days=max_days):
        return _("the onset date cannot be more than %(n)d days before the diagnosis (%(d)s)") % {
            "n": max_days,
            "d": diagnosed,
        }
    return None
