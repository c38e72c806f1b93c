"""Downloadable workbooks (openpyxl, write-only so big reports stream in little memory):
the import report and the progress table."""

import io
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook

from fangkong.screening import fates
from fangkong.screening.choices import Outcome
from fangkong.screening.models import PushedList
from fangkong.screening.progress import Figures

COUNT_LABELS = {
    "total": gettext_lazy("Rows read"),
    "accepted": gettext_lazy("Accepted"),
    "rejected": gettext_lazy("Rejected"),
    "duplicates": gettext_lazy("Already imported"),
    "matched": gettext_lazy("Matched to an existing person"),
    "created": gettext_lazy("New persons registered"),
    "by_address": gettext_lazy("Placed by address"),
    "by_alias": gettext_lazy("Placed by alias"),
    "by_registry": gettext_lazy("Placed by registered grid"),
    "unmatched": gettext_lazy("Address not matched"),
    "ambiguous": gettext_lazy("Address ambiguous"),
    "new_subjects": gettext_lazy("New screening subjects"),
    "joined_subjects": gettext_lazy("Already a subject (source added)"),
    "returning": gettext_lazy("Arrived again after a closed visit (new task)"),
    "tasks": gettext_lazy("Tasks created"),
}


def count_labels() -> dict[str, str]:
    """Labels in the active language (the module constant is built at import)."""
    return {k: str(v) for k, v in COUNT_LABELS.items()}


def _save(wb: Workbook) -> bytes:
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def import_report(user: Any, pushed: PushedList) -> bytes:
    """Summary, the columns not used, and every row of the file with its fate (times in
    Asia/Shanghai). `user` reached the list through restrict()."""
    wb = Workbook(write_only=True)
    summary = wb.create_sheet(_("Summary"))
    summary.append([_("File"), pushed.file_name])
    summary.append([_("Source"), pushed.source.name])
    summary.append(
        [_("Uploaded"), timezone.localtime(pushed.created_at).strftime("%Y-%m-%d %H:%M")]
    )
    for key, label in count_labels().items():
        summary.append([label, (pushed.counts or {}).get(key, 0)])
    summary.append([_("Columns not used"), "、".join(pushed.unused_columns or [])])
    rows = wb.create_sheet(_("Every row"))
    rows.append(fates.headers())
    for f in fates.fates(pushed):
        rows.append(
            [
                f.row_no,
                f.name,
                f.id_masked,
                f.phone_masked,
                f.fate,
                f.detail,
                f.place,
                f.arrival,
                f.conflict,
            ]
        )
    return _save(wb)


def progress_table(own: Figures, children: list[Figures]) -> bytes:
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(_("Progress"))
    head = [
        _("Code"),
        _("Name"),
        _("Pushed"),
        _("New today"),
        _("Visited"),
        _("To visit"),
        _("Overdue"),
        _("Stock under control"),
        _("Unassigned exceptions"),
        _("Handover pending"),
        _("Median minutes to visit"),
    ] + [str(label) for _v, label in Outcome.choices]
    ws.append(head)
    for f in [own, *children]:
        ws.append(
            [
                f.node.code,
                f.node.name,
                f.pushed,
                f.new_today,
                f.visited,
                f.open,
                f.overdue,
                f.stock,
                f.exceptions,
                f.handover_pending,
                f.median_minutes,
            ]
            + [f.outcomes.get(v, 0) for v in Outcome.values]
        )
    return _save(wb)
