"""Reads that measure command: directive coverage, laggards, reporting rates (scoped)."""

import datetime as dt
from typing import Any

from django.utils import timezone

from fangkong.command import rules
from fangkong.command.models import Directive, DirectiveReceipt, ReportTemplate, Submission
from fangkong.core import clock
from fangkong.geo.choices import LEVEL_ORDER
from fangkong.geo.models import Division


def _facts(receipts: Any) -> list[rules.ReceiptFacts]:
    return [
        rules.ReceiptFacts(path, level, rec is not None, ack is not None, rep is not None)
        for path, level, rec, ack, rep in receipts.values_list(
            "path", "level", "received_at", "acknowledged_at", "reported_at"
        )
    ]


def directive_coverage(user: Any, directive: Directive) -> dict[str, Any]:
    """Coverage per level and per branch (children of the user's or issuer's node)."""
    receipts = DirectiveReceipt.objects.restrict(user, "view").filter(directive=directive)
    facts = _facts(receipts)
    top = directive.node
    own = getattr(user, "node", None)
    if own is not None and own.path.startswith(top.path):
        top = own
    children = list(Division.objects.filter(parent=top).order_by("code"))
    by_branch = rules.coverage_by_branch(facts, [c.path for c in children])
    total = rules.Coverage()
    for f in facts:
        total.add(f)
    return {
        "total": total,
        "by_level": rules.coverage_by_level(facts, LEVEL_ORDER),
        "by_node": [(c, by_branch[c.path]) for c in children if by_branch[c.path].total],
    }


def laggards(user: Any, directive: Directive) -> Any:
    """The recipients who have not answered, by place; pages and the API page them."""
    return (
        DirectiveReceipt.objects.restrict(user, "view")
        .filter(directive=directive)
        .pending()
        .select_related("node", "escalated_to")
        .order_by("path", "pk")
    )


def expected_nodes(template: ReportTemplate) -> Any:
    return Division.objects.under(template.node).filter(level=template.level)


def reporting_rates(
    user: Any, template: ReportTemplate, upto: dt.date | None = None
) -> dict[str, Any]:
    """DHIS2 rates per expected node in the user's area, rolled up per branch and in all.

    A period counts as expected once its deadline has passed (or it has a submission)."""
    now = clock.now()
    upto = upto or clock.today()
    tz = timezone.get_current_timezone()
    due = [
        p
        for p in rules.periods(template.schedule, template.starts_on, template.ends_on, upto)
        if rules.deadline_of(p, template.deadline_time, tz) <= now
    ]
    nodes = list(
        Division.objects.restrict(user, "view").under(template.path).filter(level=template.level)
    )
    subs = (
        Submission.objects.restrict(user, "view")
        .filter(template=template)
        .values_list("path", "period", "on_time", "completeness")
    )
    per_node = rules.reporting_rates([n.path for n in nodes], due, subs)
    own = getattr(user, "node", None)
    top = own if own is not None and own.path.startswith(template.path) else template.node
    children = list(Division.objects.filter(parent=top).order_by("code"))
    by_branch = rules.roll_up_rates(per_node, [c.path for c in children])
    total = rules.roll_up_rates(per_node, [top.path])[top.path]
    return {
        "periods": due,
        "total": total,
        "by_node": [(n, per_node[n.path]) for n in nodes],
        "by_branch": [(c, by_branch[c.path]) for c in children if by_branch[c.path].expected],
    }


def late_nodes(user: Any, template: ReportTemplate, period: dt.date) -> list[Division]:
    """Nodes that missed or were late with the report of `period`."""
    on_time = set(
        Submission.objects.restrict(user, "view")
        .filter(template=template, period=period, on_time=True)
        .values_list("node_id", flat=True)
    )
    nodes = (
        Division.objects.restrict(user, "view").under(template.path).filter(level=template.level)
    )
    return [n for n in nodes if n.pk not in on_time]
