"""Reads of many screening records at once leave a trace (issue #16 item 2), as the
person lists do: the today list, the village and hand-over lists, exceptions,
self-declarations awaiting review and import reports, on pages, API pages beyond the
first, and exports."""

from typing import Any

from fangkong.core import audit
from fangkong.core.access import record
from fangkong.people import search


def audit_list(
    request: Any, label: str, filters: dict[str, Any], count: int, what: str = "list"
) -> None:
    """One audit entry: which list (`label`, the model), which filters (an ID or phone as
    its blind index, never in clear), how many rows, by whom."""
    audit.record_bulk_read(
        request.user, label, search.audit_filters(filters), count, request, what=what
    )


def audit_api_page(request: Any, label: str, filters: dict[str, Any], qs: Any) -> Any:
    """Audit one page of a paged API list (core.listing.CountedPagination: `page`,
    `page_size`) by the rows that page holds, and hand the queryset on unevaluated."""
    from django.conf import settings

    from fangkong.core.listing import PER_PAGE

    def number(name: str, default: int) -> int:
        try:
            return max(1, int(request.GET.get(name, default)))
        except (TypeError, ValueError):
            return default

    size = number("page_size", int(getattr(settings, "PAGE_SIZE", PER_PAGE)))
    page = number("page", 1)
    rows = max(0, min(size, qs.count() - (page - 1) * size))
    audit_list(request, label, {**filters, "page": page, "api": True}, rows)
    return qs


def one_task(user: Any, pk: int, action: str = "view") -> Any:
    """The task `pk` if `user` may do `action` on it (else 404), with its subject and
    node (page and API)."""
    from fangkong.screening.models import ScreeningTask

    return record(user, ScreeningTask.objects.select_related("subject", "node"), pk, action)


def open_exceptions(user: Any) -> Any:
    """The town's open exceptions in the user's area, oldest first (page and API)."""
    from fangkong.screening.models import ExceptionItem

    qs = ExceptionItem.objects.restrict(user, "view").open()
    return qs.select_related("subject", "node").order_by("pk")


def pending_handovers(user: Any) -> Any:
    """Visits whose decision awaits hand-over in the user's area, oldest first (page and
    API)."""
    from fangkong.screening.models import ScreeningTask

    qs = ScreeningTask.objects.restrict(user, "view").handover_pending()
    return qs.select_related("subject", "node").order_by("visited_at", "pk")


def pending_declarations(user: Any) -> Any:
    """Self-declarations awaiting review in the user's area, oldest first (page and API)."""
    from fangkong.screening.models import DeclarationReview

    qs = DeclarationReview.objects.restrict(user, "view").pending()
    return qs.select_related("person", "node").order_by("pk")


def subject_tasks(user: Any, subject_id: int | None, shown: int = 3) -> dict[str, Any]:
    """The latest `shown` visits of a screening subject the user may see (newest first),
    and how many such visits there are: a hand-over's page lists them beside the request."""
    from fangkong.screening.models import ScreeningTask

    if not subject_id:
        return {"tasks": [], "tasks_total": 0}
    qs = ScreeningTask.objects.restrict(user, "view").filter(subject_id=subject_id)
    tasks = qs.order_by("-created_at")
    return {"tasks": list(tasks[:shown]), "tasks_total": tasks.count()}
