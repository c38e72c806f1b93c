"""Lists without silent truncation: every list page shows its total ("共 N 条"), pages
through all its rows, and filters by what its users ask (a name, the last digits of a
masked ID, a jurisdiction, a status, a date range). One helper for every list page:

    listing = lists.paginate(request, qs, lists.Filters(name=("subject__name",),
                             id_tail="subject__id_masked", node="path",
                             status=("status", Status.choices), date="due_at"))
    render(..., {"listing": listing})

and in the template `{% include "core/_filters.html" %}` (the form), the rows from
`listing.rows`, then `{% include "core/_pager.html" %}` (total and pages). The XLSX export
of the same filtered rows is `lists.xlsx_response(...)`, and any other file a page hands
out is `lists.download(data, filename)`. The API's twin is
`CountedPagination` (`items` and `count`), declared with `lists.paged(...)`."""

import io
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from django import forms
from django.conf import settings
from django.core.paginator import Page, Paginator
from django.db import models
from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from ninja import pagination as ninja_pages
from ninja.pagination import PageNumberPagination

PER_PAGE = 50
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ID_TAIL = r"^[0-9Xx]{1,4}$"


@dataclass(frozen=True)
class Filters:
    """What a list can be filtered by; each names the field (lookups with __ allowed)."""

    name: Sequence[str] = ()  # fields matched by "contains" for the search box
    id_tail: str | None = None  # a masked resident ID column (330602********1234)
    node: str | None = None  # a materialised path column (the jurisdiction picker)
    status: tuple[str, Iterable[tuple[str, Any]]] | None = None  # field, choices
    date: str | None = None  # a date or date-time field (from / to, inclusive)
    name_label: Any = field(default=None)


class FilterForm(forms.Form):
    """Built per list from its `Filters`; only the fields the list declares are shown."""

    def __init__(self, data: Any, spec: Filters, user: Any) -> None:
        super().__init__(data)
        self.spec = spec
        if spec.name:
            self.fields["q"] = forms.CharField(
                label=spec.name_label or pgettext_lazy("list filter", "Name"),
                required=False,
                max_length=50,
            )
        if spec.id_tail:
            self.fields["tail"] = forms.RegexField(
                label=_("Last digits of the ID"),
                regex=ID_TAIL,
                required=False,
                max_length=4,
                error_messages={"invalid": _("Enter up to the last four characters of the ID.")},
                widget=forms.TextInput(attrs={"inputmode": "text", "autocomplete": "off"}),
            )
        if spec.node:
            from fangkong.geo.picker import JurisdictionField

            picker = JurisdictionField(label=_("Jurisdiction"), required=False)
            picker.user = user
            self.fields["node"] = picker
        if spec.status:
            self.fields["status"] = forms.ChoiceField(
                label=pgettext_lazy("list filter", "Status"),
                required=False,
                choices=[("", pgettext_lazy("list filter", "All"))]
                + [(str(v), lbl) for v, lbl in spec.status[1]],
            )
        if spec.date:
            self.fields["from"] = forms.DateField(
                label=pgettext_lazy("date range", "From"),
                required=False,
                widget=forms.DateInput(attrs={"type": "date"}),
            )
            self.fields["to"] = forms.DateField(
                label=pgettext_lazy("date range", "To"),
                required=False,
                widget=forms.DateInput(attrs={"type": "date"}),
            )

    def apply(self, qs: QuerySet) -> QuerySet:
        if not self.is_valid():
            return qs.none() if self.errors else qs
        data, spec = self.cleaned_data, self.spec
        if data.get("q"):
            cond = Q()
            for name in spec.name:
                cond |= Q(**{f"{name}__contains": data["q"].strip()})
            qs = qs.filter(cond)
        if data.get("tail") and spec.id_tail:
            qs = qs.filter(**{f"{spec.id_tail}__endswith": data["tail"].upper()})
        if data.get("node") and spec.node:
            from fangkong.geo.models import Division

            path = Division.objects.filter(code=data["node"]).values_list("path", flat=True).first()
            qs = qs.filter(**{f"{spec.node}__startswith": path}) if path else qs.none()
        if data.get("status") and spec.status:
            qs = qs.filter(**{spec.status[0]: data["status"]})
        if spec.date:
            lookup = spec.date + ("__date" if _is_datetime(qs.model, spec.date) else "")
            if data.get("from"):
                qs = qs.filter(**{f"{lookup}__gte": data["from"]})
            if data.get("to"):
                qs = qs.filter(**{f"{lookup}__lte": data["to"]})
        return qs

    @property
    def active(self) -> bool:
        return self.is_bound and any(self.data.get(k) for k in self.fields)


def _is_datetime(model: type[models.Model], path: str) -> bool:
    current: Any = model
    found: Any = None
    for part in path.split("__"):
        found = current._meta.get_field(part)
        current = getattr(found, "related_model", None) or current
    return isinstance(found, models.DateTimeField)


@dataclass
class Listing:
    page: Page
    form: FilterForm | None
    query: str  # the filters as a query string, without the page number
    prefix: str = ""
    hidden: list[tuple[str, str]] = field(default_factory=list)  # other parameters kept

    @property
    def rows(self) -> list:
        return list(self.page.object_list)

    @property
    def total(self) -> int:
        return self.page.paginator.count

    @property
    def pages(self) -> int:
        return self.page.paginator.num_pages

    def __iter__(self):  # type: ignore[no-untyped-def]
        return iter(self.page.object_list)

    def __len__(self) -> int:
        return len(self.page.object_list)

    def __bool__(self) -> bool:
        return self.total > 0

    def link(self, number: int) -> str:
        return "?" + "&".join(x for x in (self.query, f"{self.prefix}page={number}") if x)


def _query(request: HttpRequest, keep: Iterable[str], prefix: str) -> str:
    pairs = [(k, v) for k in keep for v in request.GET.getlist(k) if v and k != f"{prefix}page"]
    return urlencode(pairs)


def filtered(request: HttpRequest, qs: QuerySet, spec: Filters | None) -> tuple[QuerySet, Any]:
    """The queryset with the request's filters applied, and the form that shows them."""
    if spec is None:
        return qs, None
    form = FilterForm(request.GET if request.GET else None, spec, request.user)
    return (form.apply(qs) if form.is_bound else qs), form


def paginate(
    request: HttpRequest,
    qs: QuerySet | Sequence,
    spec: Filters | None = None,
    per_page: int | None = None,
    prefix: str = "",
    extra: Iterable[str] = (),
) -> Listing:
    """One page of the (filtered) rows with the total; `?page=N` (or `?{prefix}page=N`
    when one page holds two lists). Out-of-range page numbers show the last page."""
    form = None
    if isinstance(qs, QuerySet):
        qs, form = filtered(request, qs, spec)
        if not qs.ordered:
            qs = qs.order_by("-pk")
    paginator = Paginator(qs, per_page or PER_PAGE)
    page = paginator.get_page(request.GET.get(f"{prefix}page"))
    keep = list(form.fields) if form is not None else []
    keep += [k for k in request.GET if k not in keep]
    keep += list(extra)
    own = set(form.fields) if form is not None else set()
    hidden = [
        (k, v)
        for k in request.GET
        if k not in own and not k.endswith("page")
        for v in request.GET.getlist(k)
    ]
    return Listing(page, form, _query(request, dict.fromkeys(keep), prefix), prefix, hidden)


def xlsx_response(
    filename: str,
    title: str,
    columns: Sequence[tuple[Any, Callable[[Any], Any]]],
    rows: Iterable[Any],
) -> HttpResponse:
    """Every filtered row (not one page) as an Excel sheet: headers in the reader's
    language, masked columns as the list shows them."""
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    ws = wb.create_sheet(title=str(title)[:31])
    ws.append([str(h) for h, _get in columns])
    for row in rows:
        ws.append([_cell(get(row)) for _h, get in columns])
    out = io.BytesIO()
    wb.save(out)
    return download(out.getvalue(), filename)


def download(data: bytes | str, filename: str, content_type: str = XLSX) -> HttpResponse:
    """A file the browser saves (an Excel workbook unless `content_type` says otherwise),
    never kept in a browser's or a proxy's cache."""
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response


def _cell(value: Any) -> Any:
    if value is None:
        return ""
    if hasattr(value, "tzinfo") and getattr(value, "tzinfo", None) is not None:
        from django.utils import timezone

        return timezone.localtime(value).replace(tzinfo=None)
    if isinstance(value, (int, float, str)) or hasattr(value, "isoformat"):
        return value
    return str(value)


class CountedPagination(PageNumberPagination):
    """The API's lists: `?page=N` (and `page_size`), answered as `items` and `count`
    (the total of the filtered rows), so a client always knows what it has not seen."""

    def __init__(self, page_size: int | None = None, **kwargs: Any) -> None:
        size: int = page_size or int(getattr(settings, "PAGE_SIZE", PER_PAGE))
        super().__init__(page_size=size, **kwargs)


def paged(router: Any, path: str, item: Any, **options: Any) -> Callable[[Any], Any]:
    """A list endpoint, declared once: `GET path` answering a page of `item`s as `items`
    with their `count` (`CountedPagination`); `options` go to the route (`auth=None`).

        @lists.paged(router, "/rumours", RumourOut)
        def list_rumours(request): ...  # returns the queryset (or `Mapped`) to page"""

    def declare(view: Any) -> Any:
        return router.get(path, response=list[item], **options)(
            ninja_pages.paginate(CountedPagination)(view)
        )

    return declare


class Mapped:
    """Rows of a queryset turned into API dicts one page at a time: what an endpoint
    declared with `lists.paged` returns when its items are built by a function
    (`return lists.Mapped(qs, _bulletin)`); `count` is the queryset's."""

    def __init__(self, qs: QuerySet, fn: Callable[[Any], Any]) -> None:
        self.qs, self.fn = qs, fn

    def all(self) -> "Mapped":
        return self

    def count(self) -> int:
        return self.qs.count()

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, index: slice) -> list:
        return [self.fn(row) for row in self.qs[index]]
