"""The person list's filters, shared by the page and the API."""

from typing import Any

from fangkong.geo.models import Division
from fangkong.people.models import Person
from fangkong.people.querysets import PersonQuerySet


def filtered_persons(user: Any, params: dict[str, Any]) -> PersonQuerySet:
    qs = Person.objects.restrict(user, "view").active()
    if params.get("q"):
        qs = qs.search(str(params["q"]))
    if params.get("node"):
        node = Division.objects.restrict(user, "view").filter(code=params["node"]).first()
        qs = qs.filter(path__startswith=node.path) if node else qs.none()
    if params.get("sex"):
        qs = qs.filter(sex=params["sex"])
    if params.get("tag"):
        qs = qs.filter(tags__contains=str(params["tag"]))
    return qs
