"""A cadre's front-line record as an Excel workbook, one sheet per part; the
accountability sheet only when the viewer may see accountability."""

import io

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook

from fangkong.supervision import metrics
from fangkong.supervision.record import CadreRecord


def cadre_workbook(r: CadreRecord) -> bytes:
    wb = Workbook(write_only=True)
    m = r.member
    ws = wb.create_sheet(_("Cadre"))
    ws.append([_("Name"), m.name])
    ws.append([_("Cadre rank"), m.cadre_rank])
    ws = wb.create_sheet(_("Shifts"))
    ws.append([_("Post"), _("Jurisdiction"), _("Starts at"), _("Ends at")])
    for a in r.shifts:
        ws.append(
            [
                a.shift.post.name,
                a.shift.post.node.name,
                timezone.localtime(a.starts_at).replace(tzinfo=None),
                timezone.localtime(a.ends_at).replace(tzinfo=None),
            ]
        )
    ws = wb.create_sheet(_("Rectification tasks"))
    ws.append([_("Owner"), _("What must be rectified"), _("Deadline"), _("State")])
    for t in metrics.with_state(r.rectifications):
        state = _("overdue") if t.state == "overdue" else t.get_status_display()
        ws.append([t.owner_node.name, t.requirement, t.deadline, state])
    ws = wb.create_sheet(_("Inspections"))
    ws.append([_("Role"), _("Inspected node"), _("Kind"), _("Planned on"), _("Status")])
    for label, items in ((_("led"), r.inspections_led), (_("inspected"), r.inspections_as_subject)):
        for i in items:
            ws.append(
                [label, i.node.name, i.get_kind_display(), i.planned_on, i.get_status_display()]
            )
    ws = wb.create_sheet(_("Commendations"))
    ws.append([_("Title"), _("Reason"), _("Decided by"), _("Decided on")])
    for c in r.commendations:
        ws.append([c.title, c.reason, c.get_decided_by_display(), c.decided_on])
    if r.accountability is not None:
        ws = wb.create_sheet(_("Accountability"))
        ws.append([_("Decision"), _("Decided by"), _("Decided on"), _("Finding"), _("Summary")])
        for case in r.accountability:
            ws.append(
                [
                    case.decision.name,
                    case.get_decided_by_display(),
                    case.decided_on,
                    case.finding_id,
                    case.summary,
                ]
            )
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
