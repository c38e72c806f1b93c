"""The roster page's reads and form handling: shifts of a day with their staff, the
members who may be put on them, staffing gaps, protective equipment choices."""

import datetime as dt
from typing import Any

from django.apps import apps
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Prefetch
from django.utils.translation import gettext as _

from fangkong.core.access import invalid
from fangkong.geo.choices import Level
from fangkong.geo.models import Division
from fangkong.mobilisation import rules
from fangkong.mobilisation.actions import ppe, rosters
from fangkong.mobilisation.choices import FIT_FOR_DUTY
from fangkong.mobilisation.figures import day_bounds
from fangkong.mobilisation.models import Assignment, Member, Post, Shift


def community_path(node: Division) -> str:
    """The path of the community (village) a node lies in, or the node's own path when
    it is above that level: the members who may staff a post live there."""
    if node.level == Level.GRID and node.parent_id:
        return node.parent.path  # type: ignore[union-attr]
    return node.path


def day_shifts(post: Post, day: dt.date) -> list[Shift]:
    start, end = day_bounds(day)
    qs = (
        Shift.objects.filter(post=post, starts_at__gte=start, starts_at__lt=end)
        .prefetch_related(
            Prefetch(
                "assignments",
                queryset=Assignment.objects.select_related("member").prefetch_related("ppe"),
            )
        )
        .order_by("starts_at")
    )
    out = list(qs)
    for s in out:
        s.gap = rules.staffing_gap(s.required, len(s.assignments.all()))  # type: ignore[attr-defined]
    return out


def staffing(posts: list[Post], day: dt.date) -> list[dict[str, Any]]:
    """Per post: shifts of the day, places required and filled, the gap."""
    start, end = day_bounds(day)
    rows = (
        Shift.objects.filter(post__in=posts, starts_at__gte=start, starts_at__lt=end)
        .annotate(assigned=Count("assignments"))
        .values_list("post_id", "required", "assigned")
    )
    agg: dict[int, list[int]] = {}
    for post_id, need, got in rows:
        a = agg.setdefault(post_id, [0, 0, 0, 0])
        a[0] += 1
        a[1] += need
        a[2] += min(need, got)
        a[3] += rules.staffing_gap(need, got)
    out = []
    for p in posts:
        n, need, got, gap = agg.get(p.pk, [0, 0, 0, 0])
        out.append({"post": p, "shifts": n, "required": need, "filled": got, "gap": gap})
    return out


def candidates(user: Any, post: Post) -> list[Member]:
    """Every confirmed, fit member of the post's community whom the user may see, by
    name (were the first 500)."""
    return list(
        Member.objects.restrict(user, "view")
        .under(community_path(post.node))
        .filter(community__isnull=False, health_status__in=list(FIT_FOR_DUTY))
        .order_by("name", "pk")
    )


def ppe_choices(user: Any, post: Post) -> dict[str, Any] | None:
    """Every warehouse the user may issue from (by place, then name; were the first 50)
    and the protective items, when supplies exist."""
    if not apps.is_installed("fangkong.supplies"):
        return None
    from fangkong.supplies.models import Item, Warehouse

    houses = list(Warehouse.objects.restrict(user, "issue").order_by("path", "name", "pk"))
    if not houses:
        return None
    return {"warehouses": houses, "items": list(Item.objects.filter(category="protective"))}


def _int(value: Any) -> int:
    """A form's record number, or 0 (matches nothing) when it is not one."""
    text = str(value or "")
    return int(text) if text.isascii() and text.isdigit() and len(text) < 18 else 0


def _shift_of(post: Post, value: Any) -> Shift:
    shift = Shift.objects.filter(post=post, pk=_int(value)).first()
    if shift is None:
        raise invalid("shift", _("Choose a shift of this post."))
    return shift


def handle_post(request: Any, user: Any, post: Post) -> tuple[Any, dict[str, Any]]:
    """Assign, unassign or issue equipment from the roster page's forms. Returns the
    rest-rule warning to show (None when done) and what the user had chosen."""
    data = request.POST
    chosen = {
        "shift": data.get("shift", ""),
        "member": data.get("member", ""),
        "override_reason": data.get("override_reason", "")[:300],
    }
    try:
        if data.get("do") == "unassign":
            a = (
                Assignment.objects.restrict(user, "delete")
                .filter(pk=_int(data.get("assignment")), shift__post=post)
                .first()
            )
            if a is None:
                raise invalid("assignment", _("No such assignment."))
            rosters.unassign(user, a)
            messages.success(request, _("Removed from the shift."))
        elif data.get("do") == "ppe":
            _issue(request, user, post)
        else:
            shift = _shift_of(post, chosen["shift"])
            member = Member.objects.restrict(user, "view").filter(pk=_int(chosen["member"])).first()
            if member is None:
                raise invalid("member", _("Choose a member of your jurisdiction."))
            a = rosters.assign(user, shift, member, chosen["override_reason"])
            if a.overridden:
                messages.warning(
                    request,
                    _("%(name)s rostered with an override: %(reason)s")
                    % {"name": member.name, "reason": a.override_reason},
                )
            else:
                messages.success(request, _("%(name)s rostered.") % {"name": member.name})
    except rosters.RestRuleError as exc:
        return {"broken": exc.broken, "needs_reason": exc.needs_reason}, chosen
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    except PermissionDenied:
        messages.error(request, _("Your role may not do this here."))
    return None, chosen


def _issue(request: Any, user: Any, post: Post) -> None:
    from fangkong.supplies.models import Item, Warehouse

    data = request.POST
    a = (
        Assignment.objects.restrict(user, "view")
        .filter(
            pk=_int(data.get("assignment")),
            shift__post=post,
        )
        .first()
    )
    if a is None:
        raise invalid("assignment", _("No such assignment."))
    item = Item.objects.filter(pk=_int(data.get("item"))).first()
    wid = data.get("warehouse", "")
    house = Warehouse.objects.restrict(user, "issue").filter(pk=_int(wid)).first()
    if item is None or house is None:
        raise invalid("item", _("Choose the item and the warehouse."))
    issued = ppe.issue_ppe(user, a, item, data.get("quantity"), house)
    n = sum(i.quantity for i in issued)
    messages.success(
        request,
        _("%(n)s %(unit)s of %(item)s issued.") % {"n": n, "unit": item.unit, "item": item.name},
    )
