"""Pages for supplies officers, headquarters, hospitals, sites and communities. Every
read goes through `.restrict(user, action)`; a record outside the user's area is a 404
like one that does not exist; a role that may not act gets a 403."""

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Sum
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from fangkong.core import audit, clock
from fangkong.core import listing as lists
from fangkong.core.access import record, require
from fangkong.core.forms import posted
from fangkong.supplies import excel, supply_days
from fangkong.supplies.actions import donations as donations_actions
from fangkong.supplies.actions import ledger as ledger_actions
from fangkong.supplies.actions import prices as prices_actions
from fangkong.supplies.actions import requests as requests_actions
from fangkong.supplies.choices import EntryKind, RequestStatus
from fangkong.supplies.forms import (
    AdjustForm,
    DonationForm,
    IssueForm,
    PriceForm,
    QuantityForm,
    ReceiveForm,
    RequestForm,
    TransferForm,
    UploadForm,
)
from fangkong.supplies.models import (
    Balance,
    Batch,
    Donation,
    Item,
    LedgerEntry,
    Market,
    PriceReport,
    SupplyRequest,
    SupplyRules,
    Warehouse,
)
from fangkong.supplies.querysets import serving_warehouses


def _request(request: HttpRequest, pk: int) -> SupplyRequest:
    return record(
        request.user,
        SupplyRequest.objects.select_related("warehouse", "destination", "item", "requester_node"),
        pk,
    )


def _errors(request: HttpRequest, exc: Exception) -> None:
    if isinstance(exc, ValidationError) and hasattr(exc, "error_dict"):
        for field, msgs in exc.message_dict.items():
            for m in msgs:
                messages.error(request, f"{field}: {m}")
    elif isinstance(exc, ValidationError):
        for m in exc.messages:
            messages.error(request, m)
    else:
        messages.error(request, str(exc) or _("Not allowed."))


@login_required
def index(request: HttpRequest) -> HttpResponse:
    """Stock in the user's area, the items running short, open requests, price alerts."""
    require(request.user, "view", "supplies.warehouse")
    user = request.user
    houses = (
        Warehouse.objects.restrict(user, "view")
        .select_related("node")
        .annotate(units=Sum("balances__quantity"))
    )
    context = {
        "warehouses": houses,
        "alerts": supply_days.alerts(user),
        "open_requests": lists.paginate(
            request,
            SupplyRequest.objects.restrict(user, "view").open().select_related("item", "warehouse"),
            per_page=20,
            prefix="r",
        ),
        "price_alerts": lists.paginate(
            request,
            PriceReport.objects.restrict(user, "view").alerts().select_related("market", "item"),
            per_page=10,
            prefix="a",
        ),
    }
    return render(request, "supplies/index.html", context)


LEDGER_FILTERS = lists.Filters(
    name=("item__name", "batch__code", "reason"),
    name_label=gettext_lazy("Item, batch or reason"),
    status=("kind", EntryKind.choices),
    date="at",
)


def _ledger(wh: Warehouse):  # type: ignore[no-untyped-def]
    return (
        LedgerEntry.objects.filter(warehouse=wh)
        .select_related("item", "batch", "counterpart")
        .order_by("-at", "-pk")
    )


@login_required
def ledger_xlsx(request: HttpRequest, pk: int) -> HttpResponse:
    """The warehouse's ledger as filtered on its page, every row (入库 / 出库 / 调拨 …)."""
    wh = record(request.user, Warehouse.objects, pk)
    qs, _form = lists.filtered(request, _ledger(wh), LEDGER_FILTERS)
    audit.record_export(
        request.user, "supplies.warehouse", {"warehouse": wh.pk}, qs.count(), request
    )
    columns = [
        (_("At"), lambda e: e.at),
        (_("Movement"), lambda e: e.get_kind_display()),
        (_("Item"), lambda e: e.item.name),
        (_("Batch"), lambda e: e.batch.code),
        (_("Quantity"), lambda e: e.quantity),
        (_("Counterpart"), lambda e: e.counterpart.name if e.counterpart else ""),
        (_("Reason"), lambda e: e.reason),
    ]
    return lists.xlsx_response(
        f"ledger-{wh.pk}-{clock.today()}.xlsx", _("Ledger"), columns, qs.iterator()
    )


@login_required
def warehouse(request: HttpRequest, pk: int) -> HttpResponse:
    wh = record(request.user, Warehouse.objects, pk)
    user = request.user
    balances = (
        Balance.objects.filter(warehouse=wh, quantity__gt=0)
        .select_related("item", "batch")
        .order_by("item__priority", "item__name", "batch__expires_on")
    )
    batches = Batch.objects.filter(
        pk__in=Balance.objects.filter(warehouse=wh).values("batch_id")
    ).select_related("item")
    others = serving_warehouses(user).exclude(pk=wh.pk)
    pending = SupplyRequest.objects.filter(warehouse=wh, status="submitted").select_related("item")
    ledger = lists.paginate(request, _ledger(wh), LEDGER_FILTERS)
    context = {
        "wh": wh,
        "today": clock.today(),
        "balances": balances,
        "entries": ledger,
        "listing": ledger,
        "export_url": reverse("supplies:ledger_xlsx", args=[wh.pk]),
        "receive_form": ReceiveForm(prefix="receive"),
        "issue_form": IssueForm(prefix="issue"),
        "transfer_form": TransferForm(prefix="transfer", warehouses=others),
        "adjust_form": AdjustForm(prefix="adjust", batches=batches),
        "donation_form": DonationForm(prefix="donation"),
        "pending_items": Item.objects.filter(pk__in=pending.values("item_id")),
        "pending": pending,
        "may": {
            a: user.may("supplies.warehouse", a)  # type: ignore[union-attr]
            for a in ("receive", "issue", "adjust", "approve")
        },
    }
    return render(request, "supplies/warehouse.html", context)


def _receive(request: HttpRequest, wh: Warehouse) -> Any:
    form = ReceiveForm(request.POST, prefix="receive")
    if form.is_valid():
        ledger_actions.receive(request.user, wh, **form.cleaned_data)
    return form


def _issue(request: HttpRequest, wh: Warehouse) -> Any:
    form = IssueForm(request.POST, prefix="issue")
    if form.is_valid():
        ledger_actions.issue(request.user, wh, **form.cleaned_data)
    return form


def _transfer(request: HttpRequest, wh: Warehouse) -> Any:
    others = serving_warehouses(request.user).exclude(pk=wh.pk)
    form = TransferForm(request.POST, prefix="transfer", warehouses=others)
    if form.is_valid():
        ledger_actions.transfer(request.user, wh, **form.cleaned_data)
    return form


def _adjust(request: HttpRequest, wh: Warehouse) -> Any:
    form = AdjustForm(request.POST, prefix="adjust", batches=Batch.objects.all())
    if form.is_valid():
        ledger_actions.adjust(request.user, wh, **form.cleaned_data)
    return form


def _write_off(request: HttpRequest, wh: Warehouse) -> None:
    done = ledger_actions.write_off_expired(request.user, wh)
    messages.success(request, _("%(n)s expired batches written off.") % {"n": len(done)})


def _donation(request: HttpRequest, wh: Warehouse) -> Any:
    form = DonationForm(request.POST, prefix="donation")
    if form.is_valid():
        d = form.cleaned_data
        batch = {k: d[k] for k in ("item", "quantity", "batch_code", "expires_on")}
        donations_actions.record_donation(
            request.user, wh, d["donor"], [batch], contact=d["contact"]
        )
    return form


def _allocate(request: HttpRequest, wh: Warehouse) -> None:
    item = get_object_or_404(Item, pk=request.POST.get("item"))
    shares = requests_actions.allocate(request.user, wh, item)
    messages.success(
        request,
        _("%(n)s requests approved by priority.") % {"n": sum(1 for v in shares.values() if v)},
    )


# The forms of the warehouse page: verb -> handler(request, warehouse), which returns
# its bound form (None when it has none) after acting on valid input.
WAREHOUSE_VERBS: dict[str, Callable[[HttpRequest, Warehouse], Any]] = {
    "receive": _receive,
    "issue": _issue,
    "transfer": _transfer,
    "adjust": _adjust,
    "write-off": _write_off,
    "donation": _donation,
    "allocate": _allocate,
}


@login_required
@require_POST
def warehouse_action(request: HttpRequest, pk: int, verb: str) -> HttpResponse:
    wh = record(request.user, Warehouse.objects, pk)
    try:
        handler = WAREHOUSE_VERBS.get(verb)
        if handler is None:
            raise PermissionDenied
        form = handler(request, wh)
    except (ValidationError, PermissionDenied) as exc:
        _errors(request, exc)
    else:
        if form is not None and not form.is_valid():
            for field, errs in form.errors.items():
                for e in errs:
                    messages.error(request, f"{field}: {e}")
        elif form is not None:
            messages.success(request, _("Recorded."))
    return redirect(wh)


REQUEST_FILTERS = lists.Filters(
    name=("requester_name", "item__name"),
    name_label=gettext_lazy("Requester or item"),
    node="path",
    status=("status", RequestStatus.choices),
    date="created_at",
)


@login_required
def requests(request: HttpRequest) -> HttpResponse:
    require(request.user, "view", "supplies.supplyrequest")
    qs = SupplyRequest.objects.restrict(request.user, "view").select_related("item", "warehouse")
    listing = lists.paginate(request, qs, REQUEST_FILTERS)
    return render(
        request,
        "supplies/requests.html",
        {"requests": listing, "listing": listing, "status": request.GET.get("status", "")},
    )


@login_required
def request_new(request: HttpRequest) -> HttpResponse:
    require(request.user, "add", "supplies.supplyrequest")
    user = request.user
    own = Warehouse.objects.restrict(user, "view")
    form = RequestForm(request.POST or None, sources=serving_warehouses(user), own=own)
    if req := posted(
        request,
        form,
        lambda d: requests_actions.submit_request(user, requester_node=user.node, **d),  # type: ignore[union-attr]
        _("Request submitted."),
    ):
        return redirect(req)
    return render(request, "supplies/request_new.html", {"form": form})


@login_required
def request_detail(request: HttpRequest, pk: int) -> HttpResponse:
    req = _request(request, pk)
    user = request.user
    from fangkong.core.querysets import can_access

    context = {
        "req": req,
        "entries": req.entries.select_related("warehouse", "batch"),
        "form": QuantityForm(),
        "may_approve": can_access(user, req.warehouse, "approve"),
        "may_ship": can_access(user, req.warehouse, "issue"),
        "may_receive": can_access(user, req, "receive"),
    }
    return render(request, "supplies/request.html", context)


@login_required
@require_POST
def request_action(request: HttpRequest, pk: int, verb: str) -> HttpResponse:
    req = _request(request, pk)
    form = QuantityForm(request.POST)
    form.is_valid()
    d = form.cleaned_data
    verbs = {
        "approve": lambda: requests_actions.approve_request(request.user, req, d.get("quantity")),
        "reject": lambda: requests_actions.reject_request(request.user, req, d.get("reason", "")),
        "ship": lambda: requests_actions.ship_request(request.user, req),
        "receive": lambda: requests_actions.confirm_receipt(request.user, req, d.get("quantity")),
    }
    if verb not in verbs:
        raise PermissionDenied
    try:
        verbs[verb]()
    except (ValidationError, PermissionDenied) as exc:
        _errors(request, exc)
    else:
        messages.success(request, _("Recorded."))
    return redirect(req)


@login_required
def donations(request: HttpRequest) -> HttpResponse:
    require(request.user, "view", "supplies.donation")
    qs = (
        Donation.objects.restrict(request.user, "view")
        .select_related("warehouse")
        .prefetch_related("entries__item")
    )
    listing = lists.paginate(
        request,
        qs,
        lists.Filters(name=("donor",), name_label=gettext_lazy("Donor"), date="received_at"),
    )
    return render(request, "supplies/donations.html", {"donations": listing, "listing": listing})


@login_required
@require_POST
def acknowledge(request: HttpRequest, pk: int) -> HttpResponse:
    donation = record(request.user, Donation.objects, pk)
    try:
        donations_actions.acknowledge_donation(
            request.user, donation, request.POST.get("acknowledgement", "")
        )
    except (ValidationError, PermissionDenied) as exc:
        _errors(request, exc)
    return redirect("supplies:donations")


@login_required
def days(request: HttpRequest) -> HttpResponse:
    """Days of supply per item for the user's jurisdiction and per warehouse."""
    require(request.user, "view", "supplies.balance")
    user = request.user
    node = getattr(user, "node", None)
    rules = SupplyRules.in_force()
    context = {
        "rules": rules,
        "node": node,
        "jurisdiction": supply_days.for_jurisdiction(user, node) if node else [],
        "warehouses": supply_days.by_warehouse(user),
    }
    return render(request, "supplies/days.html", context)


@login_required
def prices(request: HttpRequest) -> HttpResponse:
    require(request.user, "view", "supplies.pricereport")
    user = request.user
    markets = Market.objects.restrict(user, "report")
    form = PriceForm(request.POST or None, markets=markets, initial={"day": clock.today()})
    if request.method == "POST":
        if form.is_valid():
            d = form.cleaned_data
            try:
                report = prices_actions.report_price(
                    user, d["market"], d["item"], d["day"], d["price"]
                )
            except ValidationError as exc:
                form.add_action_errors(exc)
            except PermissionDenied as exc:
                form.add_error(None, str(exc))
            else:
                messages.warning(
                    request, _("Above baseline.")
                ) if report.alert else messages.success(request, _("Recorded."))
                return redirect("supplies:prices")
    reports = PriceReport.objects.restrict(user, "view").select_related("market", "item")
    items = Item.objects.filter(pk__in=reports.values("item_id"))
    return render(
        request,
        "supplies/prices.html",
        {
            "form": form,
            "may_report": user.may("supplies.market", "report"),  # type: ignore[union-attr]
            "alerts": lists.paginate(request, reports.alerts(), per_page=30, prefix="a"),
            "latest": lists.paginate(request, reports, per_page=30, prefix="l"),
            "items": items,
            "markets": Market.objects.restrict(user, "view"),
        },
    )


@login_required
def price_series(request: HttpRequest) -> JsonResponse:
    """Average price per day for one item in the user's area, with its baseline."""
    require(request.user, "view", "supplies.pricereport")
    from django.db.models import Avg, Max

    item = get_object_or_404(Item, pk=request.GET.get("item") or 0)
    rows = (
        PriceReport.objects.restrict(request.user, "view")
        .filter(item=item)
        .values("day")
        .annotate(price=Avg("price"), baseline=Max("baseline"))
        .order_by("day")
    )
    return JsonResponse(
        {
            "item": item.name,
            "days": [r["day"].isoformat() for r in rows],
            "price": [round(float(r["price"]), 2) for r in rows],
            "baseline": [float(r["baseline"]) if r["baseline"] is not None else None for r in rows],
        }
    )


@login_required
def excel_page(request: HttpRequest) -> HttpResponse:
    require(request.user, "view", "supplies.warehouse")
    form = UploadForm(request.POST or None, request.FILES or None)
    report = None
    if request.method == "POST" and form.is_valid():
        kind = form.cleaned_data["kind"]
        data = form.cleaned_data["file"].read()
        fn = {
            "stock": excel.import_stock,
            "requests": excel.import_requests,
            "prices": excel.import_prices,
        }[kind]
        try:
            report = fn(request.user, data)
        except ValidationError as exc:
            _errors(request, exc)
    return render(request, "supplies/excel.html", {"form": form, "report": report})


@login_required
def export(request: HttpRequest, kind: str) -> HttpResponse:
    labels = {
        "stock": "supplies.balance",
        "requests": "supplies.supplyrequest",
        "prices": "supplies.pricereport",
    }
    if kind not in labels:
        raise PermissionDenied
    require(request.user, "view", labels[kind])
    fn = {
        "stock": excel.export_stock,
        "requests": excel.export_requests,
        "prices": excel.export_prices,
    }[kind]
    data = fn(request.user)
    audit.record_export(request.user, labels[kind], {"kind": kind}, 0, request)
    return lists.download(data, f"supplies-{kind}-{clock.today()}.xlsx")
