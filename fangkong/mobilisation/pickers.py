"""The member picker: a cadre or Party member found by name and shown with the masked
phone and where they serve, so a commendation or a sanction names the right person
(core/picking.py)."""

from typing import Any

from django.utils.translation import gettext_lazy as _

from fangkong.core.picking import RecordPickerField, name_picker


def _members(user: Any) -> Any:
    from fangkong.mobilisation.models import Member

    return Member.objects.restrict(user, "view").select_related("unit", "organisation", "community")


def describe(m: Any) -> str:
    where = m.unit or m.organisation or m.community
    parts = [m.name, m.phone_masked or "—"]
    if m.cadre_rank:
        parts.append(m.cadre_rank)
    if where is not None:
        parts.append(where.name)
    return " · ".join(parts)


def member_field(label: Any = None, required: bool = True) -> RecordPickerField:
    return name_picker(_members, describe, label or _("Cadre or member (type the name)"), required)
