"""Units of the territory and party organisations (党组织): created and edited in the
user's area; an organisation never hangs under its own descendant."""

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from fangkong.core.access import actor, invalid, require
from fangkong.core.querysets import can_access
from fangkong.geo.models import Division
from fangkong.mobilisation.actions.fields import choice, text
from fangkong.mobilisation.choices import (
    OrganisationKind,
    UnitKind,
)
from fangkong.mobilisation.models import (
    Member,
    PartyOrganisation,
    Unit,
)


@transaction.atomic
def save_unit(
    user: Any, unit: Unit | None, *, name: Any, kind: Any, node: Division, address: Any = ""
) -> Unit:
    """Create (unit=None) or edit a unit of the territory."""
    unit = unit or Unit()
    if unit.pk:
        require(user, "change", unit)
    require(user, "change" if unit.pk else "add", Unit, node=node)
    unit.name = text(name, "name", 120)
    unit.kind = choice(kind, "kind", UnitKind)
    unit.address = text(address, "address", 200, required=False)
    unit.node = node
    with actor(user):
        unit.save()
    return unit


@transaction.atomic
def save_organisation(
    user: Any,
    org: PartyOrganisation | None,
    *,
    name: Any,
    kind: Any,
    node: Division,
    parent: PartyOrganisation | None = None,
    unit: Unit | None = None,
    secretary: Member | None = None,
) -> PartyOrganisation:
    """Create or edit a Party organisation; the parent must lie at or above its node."""
    org = org or PartyOrganisation()
    if org.pk:
        require(user, "change", org)
    require(user, "change" if org.pk else "add", PartyOrganisation, node=node)
    kind = choice(kind, "kind", OrganisationKind)
    if parent is not None:
        if org.pk and (parent.pk == org.pk or _descends(parent, org)):
            raise invalid("parent", _("An organisation cannot sit under itself."))
        if not node.path.startswith(parent.path):
            raise invalid("parent", _("The parent organisation must be at the same node or above."))
        if kind == OrganisationKind.COMMITTEE and parent.kind != OrganisationKind.COMMITTEE:
            raise invalid("parent", _("A Party committee can only sit under another committee."))
    if unit is not None and not unit.path.startswith(node.path):
        raise invalid("unit", _("The unit must lie within the organisation's jurisdiction."))
    if secretary is not None and not can_access(user, secretary, "view"):
        raise invalid("secretary", _("Choose a member of your jurisdiction."))
    org.name = text(name, "name", 120)
    org.kind, org.node, org.parent, org.unit, org.secretary = kind, node, parent, unit, secretary
    with actor(user):
        org.save()
    return org


def _descends(candidate: PartyOrganisation, ancestor: PartyOrganisation) -> bool:
    seen = 0
    node: PartyOrganisation | None = candidate
    while node is not None and seen < 50:
        if node.pk == ancestor.pk:
            return True
        node = node.parent
        seen += 1
    return False
