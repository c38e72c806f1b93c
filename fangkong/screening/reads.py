"""Reads of many screening records at once leave a trace (issue #16 item 2), as the
person lists do: the today list, the village and hand-over lists, exceptions,
self-declarations awaiting review and import reports, on pages, API pages beyond the
first, and exports."""

from typing import Any

from fangkong.core import audit
from fangkong.people import search


def audit_list(
    request: Any, label: str, filters: dict[str, Any], count: int, what: str = "list"
) -> None:
    """One audit entry: which list (`label`, the model), which filters (an ID or phone as
    its blind index, never in clear), how many rows, by whom."""
    audit.record_bulk_read(
        request.user, label, search.audit_filters(filters), count, request, what=what
    )
