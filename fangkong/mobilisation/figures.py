"""Mobilisation figures for a subtree: organisations mobilised, members registered and
confirmed, posts staffed against required, shifts today, rest-rule overrides. One
source for the page, the API, the daily briefing and the reports upward."""

import datetime as dt
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from fangkong.mobilisation import rules
from fangkong.mobilisation.choices import PostKind, RegistrationStatus
from fangkong.mobilisation.models import (
    Assignment,
    Member,
    PartyOrganisation,
    Post,
    PpeIssue,
    Registration,
    Shift,
)

# Figure keys with the labels a report template may use to ask for them.
LABELS: dict[str, Any] = {
    "organisations": _("Party organisations"),
    "organisations_mobilised": _("Party organisations mobilised"),
    "members": _("Members and cadres"),
    "registered_pending": _("Registrations awaiting confirmation"),
    "registered_confirmed": _("Members registered at their community"),
    "posts": _("Posts"),
    "posts_staffed": _("Posts fully staffed today"),
    "places_required": _("Places required today"),
    "places_filled": _("Places filled today"),
    "shifts_today": _("Shifts today"),
    "overrides": _("Rest-rule overrides in 24 hours"),
    "ppe_units": _("Protective equipment issued today (units)"),
}


def day_bounds(day: dt.date) -> tuple[dt.datetime, dt.datetime]:
    tz = timezone.get_default_timezone()
    start = dt.datetime.combine(day, dt.time(0), tzinfo=tz)
    return start, start + dt.timedelta(days=1)


def shifts_with_staffing(shifts: Any) -> Any:
    return shifts.annotate(assigned=Count("assignments"))


def compute(path: str, day: dt.date, until: dt.datetime | None = None) -> dict[str, int]:
    """The figures of the subtree at `path` for `day` (plain ints, JSON-ready)."""
    start, end = day_bounds(day)
    until = until or end
    orgs = PartyOrganisation.objects.under(path)
    confirmed_members = Member.objects.filter(organisation=OuterRef("pk"), community__isnull=False)
    org = orgs.aggregate(
        n=Count("pk"),
        mobilised=Count("pk", filter=Q(Exists(confirmed_members))),
    )
    regs = Registration.objects.under(path).aggregate(
        pending=Count("pk", filter=Q(status=RegistrationStatus.PENDING)),
        confirmed=Count("pk", filter=Q(status=RegistrationStatus.CONFIRMED)),
    )
    members = Member.objects.under(path).count()
    shifts = shifts_with_staffing(
        Shift.objects.under(path).filter(starts_at__gte=start, starts_at__lt=end)
    )
    per_post: dict[int, list[int]] = {}
    required = filled = n_shifts = 0
    for post_id, need, got in shifts.values_list("post_id", "required", "assigned"):
        n_shifts += 1
        required += need
        filled += min(got, need)
        gaps = per_post.setdefault(post_id, [0])
        gaps[0] += rules.staffing_gap(need, got)
    overrides = (
        Assignment.objects.under(path)
        .filter(created_at__gt=until - dt.timedelta(days=1), created_at__lte=until)
        .exclude(override_reason="")
        .count()
    )
    ppe = (
        PpeIssue.objects.under(path)
        .filter(issued_at__gte=start, issued_at__lt=end)
        .aggregate(n=Sum("quantity"))
    )
    return {
        "organisations": org["n"],
        "organisations_mobilised": org["mobilised"],
        "members": members,
        "registered_pending": regs["pending"],
        "registered_confirmed": regs["confirmed"],
        "posts": Post.objects.under(path).filter(active=True).count(),
        "posts_staffed": sum(1 for g in per_post.values() if g[0] == 0),
        "places_required": required,
        "places_filled": filled,
        "shifts_today": n_shifts,
        "overrides": overrides,
        "ppe_units": ppe["n"] or 0,
    }


def labelled(values: dict[str, int]) -> list[tuple[str, Any, int]]:
    return [(k, LABELS[k], values[k]) for k in LABELS]


def briefing_summary(path: str, day: dt.date, cutoff: dt.datetime) -> dict[str, int]:
    """The daily briefing's mobilisation section (figures as of the cut-off)."""
    return compute(path, day, cutoff)


def _norm(text: Any) -> str:
    return "".join(str(text).split()).casefold()


def prefill(node: Any, period: dt.date, field_names: list[str]) -> dict[str, int]:
    """Values for the fields of a report template that name a mobilisation figure
    (by its label, in English or Chinese, or by its key)."""
    from django.utils import translation

    wanted: dict[str, str] = {}
    for key, label in LABELS.items():
        wanted[_norm(key)] = key
        for lang in ("en", "zh-hans"):
            with translation.override(lang):
                wanted[_norm(label)] = key
    hits = {name: wanted[_norm(name)] for name in field_names if _norm(name) in wanted}
    if not hits:
        return {}
    values = compute(node.path, period)
    return {name: values[key] for name, key in hits.items()}


def staffed_checkpoint_shifts(path: str, day: dt.date) -> int:
    """Checkpoint shifts starting on `day` under `path` with at least one member on
    them (the supplies app's demand driver for checkpoint protective equipment)."""
    start, end = day_bounds(day)
    return (
        Shift.objects.under(path)
        .filter(post__kind=PostKind.CHECKPOINT, starts_at__gte=start, starts_at__lt=end)
        .filter(Exists(Assignment.objects.filter(shift=OuterRef("pk"))))
        .count()
    )
