"""Supplies and necessities (物资保障与价格稳定): the catalogue, warehouses per
jurisdiction, a ledger of every movement with batches and expiry dates, balances kept
in step with the ledger, donations, requests with their allocation and shipment,
markets with price reports against a pre-epidemic baseline, and the dated rule set."""

from decimal import Decimal
from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _

from fangkong.core import clock
from fangkong.core import models as core
from fangkong.core.fields import optional_ref, path_column, ref_to, status_of, step, user_ref
from fangkong.core.querysets import RestrictedManager
from fangkong.supplies import querysets as qs
from fangkong.supplies.choices import (
    Category,
    EntryKind,
    MarketKind,
    RequesterKind,
    RequestStatus,
    Source,
    Urgency,
    WarehouseKind,
)


class SupplyRules(core.DatedRuleSet):
    """Dated rule set: alert thresholds, the consumption window and allocation order."""

    consumption_days = models.PositiveSmallIntegerField(_("consumption window (days)"), default=7)
    alert_days = models.PositiveSmallIntegerField(_("alert under (days of supply)"), default=7)
    price_alert_share = models.DecimalField(
        _("price alert above baseline (share)"),
        max_digits=4,
        decimal_places=3,
        default=Decimal("0.100"),
    )
    max_price = models.DecimalField(
        _("largest plausible price (yuan)"),
        max_digits=10,
        decimal_places=2,
        default=Decimal("5000"),
    )
    requester_order = models.CharField(
        _("allocation order of requesters"),
        max_length=100,
        default="medical,site,checkpoint,community",
        help_text=_("Comma-separated requester kinds, first served first."),
    )

    objects = qs.CatalogueQuerySet.as_manager()

    class Meta(core.DatedRuleSet.Meta):
        verbose_name = _("supplies rule set")
        verbose_name_plural = _("supplies rule sets")

    def __str__(self) -> str:
        return f"{self.effective_from}: < {self.alert_days} d"

    @property
    def order(self) -> list[str]:
        return [k.strip() for k in self.requester_order.split(",") if k.strip()]


def rate(verbose_name: Any) -> Any:
    """An item's use per unit of demand (a bed-day, a person-day, a shift): two
    decimals, none until the catalogue says."""
    return models.DecimalField(verbose_name, max_digits=8, decimal_places=2, default=Decimal("0"))


class Item(models.Model):
    """A catalogue item (物资目录) with its standard, unit, pack size and use rates."""

    name = models.CharField(_("name"), max_length=80, unique=True)
    category = models.CharField(_("category"), max_length=20, choices=Category.choices)
    standard = models.CharField(_("standard"), max_length=40, blank=True)
    unit = models.CharField(_("unit"), max_length=20)
    pack_size = models.PositiveIntegerField(_("units per pack"), default=1)
    priority = models.PositiveSmallIntegerField(_("priority (1 = highest)"), default=5)
    per_bed_day = rate(_("use per occupied bed per day"))
    per_observed_day = rate(_("use per person under observation per day"))
    # Mobilisation hook: demand from staffed checkpoint shifts (issue #10).
    per_checkpoint_shift = rate(_("use per staffed checkpoint shift"))

    objects = qs.CatalogueQuerySet.as_manager()

    class Meta:
        verbose_name = _("item")
        verbose_name_plural = _("items")
        ordering = ["priority", "name"]

    def __str__(self) -> str:
        return f"{self.name} {self.standard}".strip()


class Place(core.NodeScoped):
    """A place of a node that supplies keeps (a warehouse, a monitored market), named
    once at its node and listed by place then name (`actions.places` makes both)."""

    name = models.CharField(_("name"), max_length=100)

    objects = RestrictedManager()

    class Meta:
        abstract = True
        ordering = ["path", "name"]
        # "warehouse_unique", "market_unique"
        constraints = [models.UniqueConstraint(fields=["node", "name"], name="%(class)s_unique")]

    def __str__(self) -> str:
        return self.name


class Warehouse(core.DetailPage, Place, core.TimeStampedModel):
    """A store of one jurisdiction node: city reserve, county, hospital or site."""

    detail_view = "supplies:warehouse"

    kind = models.CharField(_("kind"), max_length=20, choices=WarehouseKind.choices)

    class Meta(Place.Meta):
        verbose_name = _("warehouse")
        verbose_name_plural = _("warehouses")


class Batch(models.Model):
    """A production batch of an item, with its expiry date (none for non-perishables)."""

    item = ref_to(Item, related_name="batches")
    code = models.CharField(_("batch"), max_length=40)
    expires_on = models.DateField(_("expires on"), null=True, blank=True)

    objects = qs.CatalogueQuerySet.as_manager()

    class Meta:
        verbose_name = _("batch")
        verbose_name_plural = _("batches")
        constraints = [models.UniqueConstraint(fields=["item", "code"], name="batch_unique")]

    def __str__(self) -> str:
        return f"{self.item.name} {self.code}"


class Donation(core.Placed):
    """Goods donated (捐赠), with the donor and the acknowledgement sent back."""

    placed_by = "warehouse"

    donor = models.CharField(_("donor"), max_length=120)
    donor_contact = models.CharField(_("donor contact"), max_length=120, blank=True)
    warehouse = ref_to(Warehouse, related_name="donations")
    received_at = models.DateTimeField(_("received at"), default=clock.now)
    acknowledged_at = models.DateTimeField(_("acknowledged at"), null=True, blank=True)
    acknowledgement = models.TextField(_("acknowledgement"), blank=True)

    objects = RestrictedManager()

    class Meta:
        verbose_name = _("donation")
        verbose_name_plural = _("donations")
        ordering = ["-received_at"]

    def __str__(self) -> str:
        return f"{self.donor} → {self.warehouse}"


class SupplyRequest(core.DetailPage, core.Placed, core.TimeStampedModel):
    """A request (物资申领) from a facility or community to the warehouse that owns the
    stock; approved, shipped and received in that order, seen by both sides."""

    detail_view = "supplies:request"

    placed_by = "requester_node"

    requester_node = ref_to("geo.Division", _("requesting unit"))
    requester_kind = models.CharField(_("requester"), max_length=20, choices=RequesterKind.choices)
    requester_name = models.CharField(_("facility or community"), max_length=100)
    warehouse = ref_to(Warehouse, _("from warehouse"), related_name="requests")
    destination = optional_ref(
        Warehouse, _("into warehouse"), on_delete=models.PROTECT, related_name="incoming"
    )
    item = models.ForeignKey(Item, verbose_name=_("item"), on_delete=models.PROTECT)
    quantity = models.PositiveIntegerField(_("quantity"))
    urgency = models.CharField(
        _("urgency"), max_length=10, choices=Urgency.choices, default=Urgency.ROUTINE
    )
    reason = models.CharField(_("reason"), max_length=200, blank=True)
    status = status_of(RequestStatus, default=RequestStatus.SUBMITTED, max_length=10)
    approved_quantity = models.PositiveIntegerField(_("approved quantity"), null=True, blank=True)
    shipped_quantity = models.PositiveIntegerField(_("shipped quantity"), null=True, blank=True)
    received_quantity = models.PositiveIntegerField(_("received quantity"), null=True, blank=True)
    requested_by = user_ref(on_delete=models.PROTECT)
    approved_at, approved_by = step(_("approved at"), on_delete=models.PROTECT)
    shipped_at = models.DateTimeField(_("shipped at"), null=True, blank=True)
    received_at, received_by = step(_("received at"), on_delete=models.PROTECT)

    objects = qs.RequestQuerySet.as_manager()

    class Meta:
        verbose_name = _("supply request")
        verbose_name_plural = _("supply requests")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"#{self.pk} {self.requester_name}: {self.item.name} × {self.quantity}"


class LedgerEntry(core.PathScoped):
    """One movement (台账): a signed quantity in units of the item; stock is their sum."""

    # The composite (warehouse, item, at) index serves both foreign keys.
    warehouse = ref_to(Warehouse, related_name="entries", db_index=False)
    item = ref_to(Item, db_index=False)
    batch = ref_to(Batch)
    kind = models.CharField(_("movement"), max_length=20, choices=EntryKind.choices)
    source = models.CharField(_("source"), max_length=20, choices=Source.choices, blank=True)
    quantity = models.BigIntegerField(_("quantity"))
    reason = models.CharField(_("reason"), max_length=200, blank=True)
    at = models.DateTimeField(_("at"), default=clock.now, db_index=True)
    counterpart = optional_ref(Warehouse, on_delete=models.PROTECT, db_index=False)
    donation = optional_ref(Donation, on_delete=models.PROTECT, related_name="entries")
    request = optional_ref(SupplyRequest, on_delete=models.PROTECT, related_name="entries")
    user = user_ref(on_delete=models.PROTECT, db_index=False)

    objects = qs.LedgerQuerySet.as_manager()

    class Meta:
        verbose_name = _("ledger entry")
        verbose_name_plural = _("ledger entries")
        ordering = ["-at", "-pk"]
        indexes = [
            models.Index(fields=["warehouse", "item", "at"], name="ledger_wh_item_at"),
            models.Index(fields=["path", "kind", "at"], name="ledger_path_kind_at"),
        ]
        constraints = [
            models.CheckConstraint(condition=~models.Q(quantity=0), name="ledger_nonzero")
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.item.name} {self.quantity:+d}"


class Balance(core.PathScoped):
    """Units on hand per (warehouse, item, batch): the ledger's sum, kept in the same
    transaction under a row lock so reads are fast and stock never goes negative."""

    warehouse = ref_to(Warehouse, related_name="balances")
    item = ref_to(Item)
    batch = ref_to(Batch)
    quantity = models.BigIntegerField(_("on hand"), default=0)
    path = path_column(db_index=True)

    objects = qs.BalanceQuerySet.as_manager()

    class Meta:
        verbose_name = _("stock balance")
        verbose_name_plural = _("stock balances")
        constraints = [
            models.UniqueConstraint(fields=["warehouse", "item", "batch"], name="balance_unique"),
            models.CheckConstraint(
                condition=models.Q(quantity__gte=0), name="balance_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.warehouse} {self.batch}: {self.quantity}"


class Market(Place):
    """A farmers' market or supermarket whose prices are monitored (价格监测点)."""

    kind = models.CharField(_("kind"), max_length=20, choices=MarketKind.choices)

    class Meta(Place.Meta):
        verbose_name = _("market")
        verbose_name_plural = _("markets")


class PriceBaseline(core.NodeScoped):
    """The pre-epidemic price of an item in a place; a market uses its nearest one."""

    item = ref_to(Item)
    node = ref_to("geo.Division")
    price = models.DecimalField(_("baseline price"), max_digits=10, decimal_places=2)

    objects = RestrictedManager()

    class Meta:
        verbose_name = _("price baseline")
        verbose_name_plural = _("price baselines")
        constraints = [models.UniqueConstraint(fields=["item", "node"], name="baseline_unique")]

    def __str__(self) -> str:
        return f"{self.item.name} @ {self.node}: {self.price}"


class PriceReport(core.PathScoped):
    """The price of one basket item at one market on one day (yuan per unit)."""

    market = ref_to(Market, related_name="reports")
    item = ref_to(Item)
    day = models.DateField(_("day"))
    price = models.DecimalField(_("price"), max_digits=10, decimal_places=2)
    baseline = models.DecimalField(max_digits=10, decimal_places=2, null=True, editable=False)
    alert = models.BooleanField(_("above baseline"), default=False, editable=False)
    reported_by = user_ref(on_delete=models.PROTECT)
    path = path_column(db_index=True)

    objects = qs.PriceQuerySet.as_manager()

    class Meta:
        verbose_name = _("price report")
        verbose_name_plural = _("price reports")
        ordering = ["-day", "market"]
        constraints = [
            models.UniqueConstraint(fields=["market", "item", "day"], name="price_unique"),
            models.CheckConstraint(condition=models.Q(price__gt=0), name="price_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.market} {self.item.name} {self.day}: {self.price}"
