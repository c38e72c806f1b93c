"""The one way a case is reported (网络直报): its national report card is exported and the
direct-reporting system's acknowledgement is recorded (docs/report-card.md)."""

import datetime as dt
from typing import Any


def report_by_card(user: Any, case: Any, at: dt.datetime | None = None) -> Any:
    """Export the case's pending card version and acknowledge it (at `at`, else now);
    returns the acknowledged version. The case is refreshed."""
    from fangkong.exchange import cards
    from fangkong.exchange.models import CardVersion

    cards.export(user, "csv", case_id=case.pk)
    version = (
        CardVersion.objects.filter(card__case_id=case.pk, acknowledged_at__isnull=True)
        .select_related("card")
        .order_by("-seq")
        .first()
    )
    assert version is not None, "nothing to report for this case"
    cards.acknowledge(user, version.card.number, version.seq, f"{version.card.number}01", at)
    case.refresh_from_db()
    version.refresh_from_db()
    return version
