"""The person picker: a resident found by name and shown with the masked ID (or phone)
and where they live, so an observation or any other record names the right person
before it is written (core/picking.py). A link may preselect one as `?person=<pk>`."""

from typing import Any

from django.utils.translation import gettext_lazy as _

from fangkong.core.picking import RecordPickerField, name_picker


def _persons(user: Any) -> Any:
    from fangkong.people.models import Person

    return Person.objects.restrict(user, "view").select_related("node")


def describe(p: Any) -> str:
    return " · ".join(x for x in (p.name, p.id_masked or p.phone_masked, p.node.name) if x)


def person_field(label: Any = None, required: bool = True) -> RecordPickerField:
    return name_picker(_persons, describe, label or _("Person (type the name)"), required)


def _mergeable(user: Any) -> Any:
    from fangkong.people.models import Person

    return Person.objects.restrict(user, "merge").active().select_related("node")


def merge_field(survivor_pk: int) -> RecordPickerField:
    """The duplicate to merge into record `survivor_pk`: found by name among the other
    records the user may merge, shown with the masked ID and place before anything is
    merged."""
    return name_picker(
        lambda user: _mergeable(user).exclude(pk=survivor_pk),
        describe,
        _("The duplicate record (type the name)"),
        True,
    )


def preselected(value: str) -> str:
    """`?person=<pk>` in a link becomes the picker's `#<pk>` (shown as the name)."""
    return f"#{value}" if value.isascii() and value.isdigit() and len(value) < 18 else ""
