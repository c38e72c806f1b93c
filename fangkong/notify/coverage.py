"""Coverage as a number: who was notified of a directive, by which channel, what
failed and why, and how long acknowledgement took (median, 90th percentile)."""

import math
import statistics
from typing import Any

from django.db.models import Count

from fangkong.notify.models import Delivery, Notice


def _minutes(values: list[float]) -> tuple[float | None, float | None]:
    if not values:
        return None, None
    values = sorted(values)
    median = statistics.median(values)
    p90 = values[max(0, math.ceil(0.9 * len(values)) - 1)]  # nearest rank
    return round(median, 1), round(p90, 1)


def undelivered(deliveries: Any) -> Any:
    """The deliveries that failed or were skipped, by recipient (not cut: pages page them)."""
    return (
        deliveries.filter(status__in=[Delivery.Status.FAILED, Delivery.Status.SKIPPED])
        .select_related("notice__recipient_node")
        .order_by("notice__path", "pk")
    )


def directive_notices(user: Any, d: Any) -> Any:
    """The notices of directive `d` within the viewer's jurisdiction."""
    return Notice.objects.restrict(user).filter(
        kind="directive", key__startswith=f"directive:{d.pk}:"
    )


def directive_deliveries(user: Any, d: Any) -> Any:
    return Delivery.objects.filter(notice__in=directive_notices(user, d))


def directive(user: Any, d: Any) -> dict[str, Any]:
    """Figures for the directive page, within the viewer's jurisdiction."""
    from fangkong.command.models import DirectiveReceipt

    notices = directive_notices(user, d)
    deliveries = Delivery.objects.filter(notice__in=notices)
    by_channel: dict[str, dict[str, int]] = {}
    for row in deliveries.values("channel", "status").annotate(n=Count("pk")):
        by_channel.setdefault(row["channel"], {})[row["status"]] = row["n"]
    failed = undelivered(deliveries)
    acked = DirectiveReceipt.objects.restrict(user).filter(
        directive=d, acknowledged_at__isnull=False
    )
    minutes = [
        (a - d.issued_at).total_seconds() / 60
        for a in acked.values_list("acknowledged_at", flat=True)
    ]
    median, p90 = _minutes(minutes)
    return {
        "nodes": notices.values("recipient_node").distinct().count(),
        "channels": [
            {
                "channel": Delivery._meta.get_field("channel").choices[i][1],  # type: ignore[index]
                "key": key,
                "sent": by_channel.get(key, {}).get("sent", 0),
                "waiting": by_channel.get(key, {}).get("pending", 0)
                + by_channel.get(key, {}).get("sending", 0),
                "failed": by_channel.get(key, {}).get("failed", 0),
                "skipped": by_channel.get(key, {}).get("skipped", 0),
            }
            for i, key in enumerate(("inbox", "sms", "email"))
            if key in by_channel
        ],
        "failed": failed,  # every one, in order: pages and the API page it
        "failed_count": failed.count(),
        "ack_median": median,
        "ack_p90": p90,
        "acknowledged": len(minutes),
    }


def briefing(path: str, since: Any, until: Any) -> dict[str, int]:
    """For the briefing's overdue section: notices created in the day under `path`,
    those still unanswered (unread, or an action not taken), failed deliveries."""
    qs = Notice.objects.under(path).filter(created_at__gte=since, created_at__lt=until)
    return {
        "sent": qs.count(),
        "unanswered": qs.filter(read_at__isnull=True, acted_at__isnull=True).count(),
        "failed": Delivery.objects.filter(notice__in=qs, status=Delivery.Status.FAILED).count(),
    }
