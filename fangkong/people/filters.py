"""The person list's filters, shared by the page and the API."""

from typing import Any

from fangkong.geo.models import Division
from fangkong.people import search
from fangkong.people.models import Person
from fangkong.people.querysets import PersonQuerySet

PARAMS = ("q", "s", "node", "sex", "tag")


def filtered_persons(user: Any, params: dict[str, Any]) -> PersonQuerySet:
    """`q`: name, initials (or, from a POST body only, an ID or phone); `s`: a search
    handle (search.make_handle) standing for an ID or phone; an expired handle finds nobody."""
    qs = Person.objects.restrict(user, "view").active()
    if params.get("q"):
        qs = qs.search(str(params["q"]))
    if params.get("s"):
        found = search.read_handle(str(params["s"]))
        if found is None:
            qs = qs.none()
        elif found[0] == "id":
            qs = qs.filter(id_number_index=found[1])
        else:
            qs = qs.filter(phone_index=found[1])
    if params.get("node"):
        node = Division.objects.restrict(user, "view").filter(code=params["node"]).first()
        qs = qs.under(node.path) if node else qs.none()
    if params.get("sex"):
        qs = qs.filter(sex=params["sex"])
    if params.get("tag"):
        qs = qs.filter(tags__contains=str(params["tag"]))
    return qs
