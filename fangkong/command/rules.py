"""The rules of command as plain functions over plain values: which response level is in
force, directive coverage and escalation, and the DHIS2 reporting-rate model."""

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from typing import Any

# R18 (Zhejiang): the data migration seeds these; headquarters adds later-dated ones.
R18_DEFAULTS: tuple[tuple[dt.date, str, str], ...] = (
    (dt.date(2020, 1, 23), "I", "浙江省启动重大突发公共卫生事件一级响应（2020-01-23）"),
    (dt.date(2020, 3, 2), "II", "浙江省调整为二级响应（2020-03-02）"),
    (dt.date(2020, 3, 23), "III", "浙江省调整为三级响应（2020-03-23）"),
)


def level_in_force(levels: Iterable[tuple[dt.date, str]], day: dt.date) -> str | None:
    """The grade with the latest effective date on or before `day` (None before any)."""
    dated = sorted((d, g) for d, g in levels if d <= day)
    return dated[-1][1] if dated else None


@dataclass(frozen=True)
class ReceiptFacts:
    """What coverage needs to know of one receipt."""

    path: str
    level: str
    received: bool
    acknowledged: bool
    reported: bool


@dataclass
class Coverage:
    """Received / acknowledged / reported back out of all recipients."""

    total: int = 0
    received: int = 0
    acknowledged: int = 0
    reported: int = 0

    def add(self, r: ReceiptFacts) -> None:
        self.total += 1
        self.received += r.received
        self.acknowledged += r.acknowledged
        self.reported += r.reported

    @staticmethod
    def rate(part: int, whole: int) -> float | None:
        return part / whole if whole else None

    @property
    def received_rate(self) -> float | None:
        return self.rate(self.received, self.total)

    @property
    def acknowledged_rate(self) -> float | None:
        return self.rate(self.acknowledged, self.total)

    @property
    def reported_rate(self) -> float | None:
        return self.rate(self.reported, self.total)

    def as_dict(self) -> dict[str, Any]:
        return {
            **asdict(self),
            "received_rate": self.received_rate,
            "acknowledged_rate": self.acknowledged_rate,
            "reported_rate": self.reported_rate,
        }


def coverage_by_level(
    receipts: Iterable[ReceiptFacts], levels: Sequence[str]
) -> dict[str, Coverage]:
    out = {level: Coverage() for level in levels}
    for r in receipts:
        out.setdefault(r.level, Coverage()).add(r)
    return {k: v for k, v in out.items() if v.total}


def coverage_by_branch(
    receipts: Iterable[ReceiptFacts], branches: Sequence[str]
) -> dict[str, Coverage]:
    """Coverage of the receipts under each branch path (e.g. each county of the city)."""
    out = {b: Coverage() for b in branches}
    for r in receipts:
        for b in branches:
            if r.path.startswith(b):
                out[b].add(r)
                break
    return out


def is_pending(
    ack_required: bool, feedback_required: bool, acknowledged: bool, reported: bool
) -> bool:
    return (ack_required and not acknowledged) or (feedback_required and not reported)


def is_overdue(
    deadline: dt.datetime,
    now: dt.datetime,
    *,
    ack_required: bool,
    feedback_required: bool,
    acknowledged: bool,
    reported: bool,
) -> bool:
    """Overdue: still owing an acknowledgement or report back after the deadline; such a
    receipt is escalated to the recipient's parent node."""
    return now > deadline and is_pending(ack_required, feedback_required, acknowledged, reported)


# ------------------------------------------------------------------- reports upward (C14)


def periods(
    schedule: str, starts_on: dt.date, ends_on: dt.date | None, upto: dt.date
) -> list[dt.date]:
    """Reporting periods from `starts_on` to min(`ends_on`, `upto`): days, or Mondays."""
    last = min(ends_on, upto) if ends_on else upto
    out = []
    day = starts_on
    if schedule == "weekly":
        day += dt.timedelta(days=(7 - day.weekday()) % 7)
    step = dt.timedelta(days=7 if schedule == "weekly" else 1)
    while day <= last:
        out.append(day)
        day += step
    return out


def is_period(schedule: str, starts_on: dt.date, ends_on: dt.date | None, day: dt.date) -> bool:
    if day < starts_on or (ends_on and day > ends_on):
        return False
    return schedule != "weekly" or day.weekday() == 0


def deadline_of(period: dt.date, deadline_time: dt.time, tz: dt.tzinfo) -> dt.datetime:
    """A period's report is due on the period's own day at `deadline_time` (local)."""
    return dt.datetime.combine(period, deadline_time, tzinfo=tz)


def lock_of(
    period: dt.date, deadline_time: dt.time, lock_after_hours: int, tz: dt.tzinfo
) -> dt.datetime:
    """After this moment no submission for the period is accepted."""
    return deadline_of(period, deadline_time, tz) + dt.timedelta(hours=lock_after_hours)


def completeness(fields: Sequence[str], data: dict[str, Any]) -> float:
    """Share of the template's figures that carry a value."""
    if not fields:
        return 1.0
    filled = sum(1 for f in fields if data.get(f) not in (None, ""))
    return filled / len(fields)


@dataclass
class ReportingRate:
    """DHIS2's reporting-rate model: expected, actual, actual on time, and the rates."""

    expected: int = 0
    actual: int = 0
    on_time: int = 0
    completeness_sum: float = 0.0

    @property
    def reporting_rate(self) -> float | None:
        return self.actual / self.expected if self.expected else None

    @property
    def timeliness_rate(self) -> float | None:
        return self.on_time / self.expected if self.expected else None

    @property
    def completeness(self) -> float | None:
        """Mean share of figures filled over the submissions received."""
        return self.completeness_sum / self.actual if self.actual else None

    @property
    def late(self) -> int:
        return self.actual - self.on_time

    @property
    def missing(self) -> int:
        return self.expected - self.actual

    def as_dict(self) -> dict[str, Any]:
        return {
            "expected": self.expected,
            "actual": self.actual,
            "on_time": self.on_time,
            "late": self.late,
            "missing": self.missing,
            "reporting_rate": self.reporting_rate,
            "timeliness_rate": self.timeliness_rate,
            "completeness": self.completeness,
        }


def reporting_rates(
    expected_nodes: Sequence[str],
    due_periods: Sequence[dt.date],
    submissions: Iterable[tuple[str, dt.date, bool, float]],
) -> dict[str, ReportingRate]:
    """Per expected node path: the rate over the periods already due.

    `submissions` are (node path, period, on time, completeness); a submission for a
    period not yet due counts neither as expected nor as actual."""
    due = set(due_periods)
    out = {p: ReportingRate(expected=len(due)) for p in expected_nodes}
    for path, period, on_time, filled in submissions:
        rate = out.get(path)
        if rate is None or period not in due:
            continue
        rate.actual += 1
        rate.on_time += on_time
        rate.completeness_sum += filled
    return out


def roll_up_rates(
    rates: dict[str, ReportingRate], branches: Sequence[str]
) -> dict[str, ReportingRate]:
    """Sum node rates into branch paths (e.g. every village of each town)."""
    out = {b: ReportingRate() for b in branches}
    for path, r in rates.items():
        for b in branches:
            if path.startswith(b):
                t = out[b]
                t.expected += r.expected
                t.actual += r.actual
                t.on_time += r.on_time
                t.completeness_sum += r.completeness_sum
                break
    return out
