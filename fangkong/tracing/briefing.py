"""The tracing section of the daily briefing: contacts per case, the share of close
contacts under control (confirmed into observation or screening) within 24 hours of
being traced, contacts of contacts, and the chain figures (one query, as the tracing
pages). Registered in TracingConfig.ready."""

import datetime as dt
from typing import Any

from django.db.models import Count, DurationField, ExpressionWrapper, F, Q

from fangkong.core.querysets import system_actor
from fangkong.core.sections import Window, under
from fangkong.tracing.choices import Category
from fangkong.tracing.models import Chain, Contact, IndexCase


def section(path: str, window: Window) -> dict[str, Any]:
    since, cutoff = window.start, window.end
    cases = under(IndexCase, path).filter(created_at__lte=cutoff).count()
    contacts = under(Contact, path).filter(created_at__lte=cutoff)
    lag = ExpressionWrapper(F("confirmed_at") - F("created_at"), output_field=DurationField())
    close = Q(category=Category.CLOSE)
    agg = contacts.annotate(lag=lag).aggregate(
        total=Count("pk", filter=Q(index__isnull=False, source_contact__isnull=True)),
        close=Count("pk", filter=close),
        close_in_24h=Count(
            "pk", filter=close & Q(confirmed_at__lte=cutoff, lag__lte=dt.timedelta(hours=24))
        ),
        secondary=Count("pk", filter=Q(category=Category.SECONDARY)),
        new=Count("pk", filter=Q(created_at__gt=since)),
    )
    chains = Chain.objects.restrict(system_actor(), "view").filter(path__startswith=path).counts()
    return {
        "index_cases": cases,
        "contacts": agg["total"],
        "contacts_per_case": round(agg["total"] / cases, 1) if cases else None,
        "close": agg["close"],
        "close_controlled_24h": agg["close_in_24h"],
        "close_controlled_share": round(agg["close_in_24h"] / agg["close"], 3)
        if agg["close"]
        else None,
        "secondary": agg["secondary"],
        "new": agg["new"],
        "chains": chains,
    }
