from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Router, Schema

from fangkong.geo import counters, picker
from fangkong.geo.models import Division

router = Router(tags=["jurisdictions"])


class NodeOut(Schema):
    code: str
    name: str
    level: str
    parent_code: str | None
    path: str
    households: int | None = None
    counts: dict[str, int] = {}


class NodeWithChildren(NodeOut):
    children: list[NodeOut]


def _node_out(node: Division, counts: dict[str, int] | None = None) -> dict:
    return {
        "code": node.code,
        "name": node.name,
        "level": node.level,
        "parent_code": node.path.rstrip("/").split("/")[-2] if node.parent_id else None,
        "path": node.path,
        "households": node.households,
        "counts": counts or {},
    }


def _with_children(request: HttpRequest, node: Division) -> dict:
    children = list(Division.objects.restrict(request.user, "view").filter(parent=node))
    by_counter = counters.child_counts(request.user, node, children)
    out = _node_out(node, counters.total_counts(request.user, node))
    out["children"] = [
        _node_out(c, {k: v.get(c.code, 0) for k, v in by_counter.items()}) for c in children
    ]
    return out


@router.get("/", response=NodeWithChildren)
def my_tree(request: HttpRequest):  # type: ignore[no-untyped-def]
    """The caller's own node with its children and their counts."""
    user = request.user
    node = user.node or Division.objects.root()  # type: ignore[union-attr]
    return _with_children(
        request,
        get_object_or_404(Division.objects.restrict(user, "view"), pk=node.pk if node else None),
    )


class GeoFoundOut(Schema):
    code: str
    name: str
    level: str
    path_label: str


class GeoSearchOut(Schema):
    count: int
    items: list[GeoFoundOut]


@router.get("/search", response=GeoSearchOut)
def search_nodes(  # type: ignore[no-untyped-def]
    request: HttpRequest, q: str = "", levels: str = "", scope: str = "mine", under: str = ""
):
    """Jurisdictions by the name people use (花园 finds 花园社区 with its path 越城区 ›
    塔山街道 › 花园社区): the best 20 and how many matched. `scope=mine` searches the
    caller's subtree, `scope=all` the whole tree (for a transfer to another district);
    `under=<code>` keeps either to that division's subtree (an exception's queue)."""
    wanted = tuple(x for x in levels.split(",") if x in picker.LEVEL_ORDER)
    mine = Division.objects.restrict(request.user, "view") if scope != "all" else None
    within = picker.narrowed(mine, under[:24])
    found, total = picker.search(q[:60], within, wanted)
    return {"count": total, "items": [f.__dict__ for f in found]}


@router.get("/{code}", response=NodeWithChildren)
def node_detail(request: HttpRequest, code: str):  # type: ignore[no-untyped-def]
    """A node inside the caller's subtree with its children and counts; 404 outside it."""
    node = get_object_or_404(Division.objects.restrict(request.user, "view"), code=code)
    return _with_children(request, node)


@router.get("/{code}/children", response=list[NodeOut])
def node_children(request: HttpRequest, code: str):  # type: ignore[no-untyped-def]
    return _with_children(
        request, get_object_or_404(Division.objects.restrict(request.user, "view"), code=code)
    )["children"]
