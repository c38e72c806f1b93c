"""Admin for the catalogue, rule sets, warehouses and markets. Stock is never edited
here: ledger entries and balances are read-only, every movement goes through actions."""

from django.contrib import admin

from fangkong.supplies.models import (
    Balance,
    Donation,
    Item,
    LedgerEntry,
    Market,
    PriceBaseline,
    PriceReport,
    SupplyRequest,
    SupplyRules,
    Warehouse,
)


@admin.register(SupplyRules)
class SupplyRulesAdmin(admin.ModelAdmin):
    list_display = [
        "effective_from",
        "alert_days",
        "consumption_days",
        "price_alert_share",
        "requester_order",
        "note",
    ]


@admin.register(Item)
class ItemAdmin(admin.ModelAdmin):
    list_display = [
        "name",
        "category",
        "standard",
        "unit",
        "pack_size",
        "priority",
        "per_bed_day",
        "per_observed_day",
    ]
    list_filter = ["category"]


admin.site.register(
    Warehouse, list_display=["name", "kind", "node"], list_filter=["kind"], raw_id_fields=["node"]
)


admin.site.register(Market, list_display=["name", "kind", "node"], raw_id_fields=["node"])


admin.site.register(PriceBaseline, list_display=["item", "node", "price"], raw_id_fields=["node"])


class ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_delete_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False


@admin.register(LedgerEntry)
class LedgerEntryAdmin(ReadOnly):
    list_display = ["at", "warehouse", "item", "kind", "quantity"]
    list_filter = ["kind"]


@admin.register(Balance)
class BalanceAdmin(ReadOnly):
    list_display = ["warehouse", "item", "batch", "quantity"]


@admin.register(SupplyRequest)
class SupplyRequestAdmin(ReadOnly):
    list_display = ["pk", "requester_name", "item", "quantity", "status"]


@admin.register(Donation)
class DonationAdmin(ReadOnly):
    list_display = ["donor", "warehouse", "received_at", "acknowledged_at"]


@admin.register(PriceReport)
class PriceReportAdmin(ReadOnly):
    list_display = ["day", "market", "item", "price", "baseline", "alert"]
