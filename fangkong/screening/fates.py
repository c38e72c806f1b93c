"""The fate of every row of an import (每一行的去向), for the report page and workbook.

Every row number the file had appears exactly once: rejected (field and reason), merged
into another row (the same person and arrival), or accepted — matched to an existing
person or registered — and then placed (village or grid) or queued (which queue, why,
the candidates). Conflicts (a resident ID under another name, a phone of another ID)
are shown beside the fate. Rows belong to the list: whoever may see the list sees the
fate of all its rows (masked), wherever the address placed them. Times in Asia/Shanghai.
"""

from collections.abc import Iterator
from dataclasses import dataclass

from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from fangkong.screening.choices import Placement
from fangkong.screening.models import ImportRejection, PushedList, PushedRow


@dataclass
class Fate:
    row_no: int
    name: str
    id_masked: str
    phone_masked: str
    fate: str
    detail: str
    place: str
    arrival: str
    conflict: str


def _local(moment) -> str:  # type: ignore[no-untyped-def]
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M") if moment else ""


def _row(r: PushedRow) -> Fate:
    person = r.get_match_display()
    if r.placement == Placement.EXCEPTION:
        fate = _("Queued")
        detail = f"{person}; {r.queue_reason or _('address not matched')}"
        if r.candidates:
            detail += "; " + _("candidates: %s") % r.candidates
    else:
        fate = _("Placed")
        detail = f"{person}; {r.get_placement_display()}"
    return Fate(
        r.row_no,
        r.name,
        r.id_masked,
        r.phone_masked,
        fate,
        detail,
        r.node.name,
        _local(r.arrival_at),
        r.conflict,
    )


def _note(n: ImportRejection) -> Fate:
    if n.duplicate:
        return Fate(n.row_no, n.name, "", "", _("Merged"), n.reason, "", "", "")
    field = f"{n.field}: " if n.field else ""
    return Fate(n.row_no, n.name, "", "", _("Rejected"), field + n.reason, "", "", "")


def fates(pushed: PushedList, first: int = 0, last: int | None = None) -> Iterator[Fate]:
    """Every row of the list with row numbers in [first, last], in file order."""
    rows = PushedRow.objects.filter(pushed_list=pushed, row_no__gte=first).select_related("node")
    notes = ImportRejection.objects.filter(pushed_list=pushed, row_no__gte=first)
    if last is not None:
        rows, notes = rows.filter(row_no__lte=last), notes.filter(row_no__lte=last)
    accepted = rows.order_by("row_no").iterator(chunk_size=2000)
    other = notes.order_by("row_no").iterator(chunk_size=2000)
    a, o = next(accepted, None), next(other, None)
    while a is not None or o is not None:
        if o is None or (a is not None and a.row_no <= o.row_no):
            yield _row(a)  # type: ignore[arg-type]
            a = next(accepted, None)
        else:
            yield _note(o)
            o = next(other, None)


def last_row(pushed: PushedList) -> int:
    """The highest row number the list's file had (0 before anything was read)."""
    return max(
        PushedRow.objects.filter(pushed_list=pushed).aggregate(m=Max("row_no"))["m"] or 0,
        ImportRejection.objects.filter(pushed_list=pushed).aggregate(m=Max("row_no"))["m"] or 0,
    )


def headers() -> list[str]:
    return [
        _("Row"),
        _("Name"),
        _("Resident ID"),
        _("Mobile phone"),
        _("Fate"),
        _("Details"),
        _("Village / grid / queue"),
        _("Arrival"),
        _("Conflict"),
    ]
