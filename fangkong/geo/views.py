from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, render

from fangkong.geo import counters, picker
from fangkong.geo.models import Division


@login_required
def browse(request: HttpRequest, code: str | None = None) -> HttpResponse:
    """The jurisdiction browser: a node, its place in the tree, its children with counts."""
    visible = Division.objects.restrict(request.user, "view")
    if code is None:
        node = request.user.node  # type: ignore[union-attr]
        if node is None:
            node = visible.root()
        if node is None:
            raise Http404
    else:
        node = get_object_or_404(visible, code=code)
    children = list(visible.filter(parent=node))
    by_counter = counters.child_counts(request.user, node, children)
    rows = [
        {"node": c, "counts": [by_counter[k.key].get(c.code, 0) for k in counters.all_counters()]}
        for c in children
    ]
    home = request.user.node  # type: ignore[union-attr]
    crumbs = [a for a in node.ancestors() if home is None or a.path.startswith(home.path)]
    return render(
        request,
        "geo/browse.html",
        {
            "node": node,
            "crumbs": crumbs,
            "rows": rows,
            "counters": counters.all_counters(),
            "totals": counters.total_counts(request.user, node),
        },
    )


def pick(request: HttpRequest) -> JsonResponse:
    """Suggestions for the jurisdiction picker (geo/picker.py): up to 20 divisions with
    their paths, and how many matched in all. `scope=mine` (signed in) searches the
    user's subtree; otherwise the whole tree (division names are public). `under=<code>`
    keeps them to that division's subtree (an exception's queue)."""
    text = request.GET.get("q", "")[:60]
    levels = tuple(x for x in request.GET.get("levels", "").split(",") if x in picker.LEVEL_ORDER)
    mine = None
    if request.GET.get("scope") == "mine" and request.user.is_authenticated:
        mine = Division.objects.restrict(request.user, "view")
    within = picker.narrowed(mine, request.GET.get("under", "")[:24])
    found, total = picker.search(text, within, levels)
    return JsonResponse(
        {
            "count": total,
            "items": [{"code": f.code, "name": f.name, "path": f.path_label} for f in found],
        }
    )
