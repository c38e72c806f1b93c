from django.contrib import admin

from fangkong.tracing.models import Chain, Contact, IndexCase, Scan, TracingRules, Venue


@admin.register(TracingRules)
class TracingRulesAdmin(admin.ModelAdmin):
    list_display = ["effective_from", "days_before_onset", "proximity_m", "gate_fever_from"]


@admin.register(IndexCase)
class IndexCaseAdmin(admin.ModelAdmin):
    list_display = ["label", "onset_date", "isolated_on", "asymptomatic"]
    raw_id_fields = ["person", "source_contact"]


@admin.register(Contact)
class ContactAdmin(admin.ModelAdmin):
    list_display = ["name", "category", "status", "setting", "last_exposure"]
    list_filter = ["category", "status", "setting"]
    raw_id_fields = ["index", "source_contact", "person", "node"]


@admin.register(Chain)
class ChainAdmin(admin.ModelAdmin):
    list_display = ["number", "size", "generations", "is_cluster", "active"]


@admin.register(Venue)
class VenueAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "address", "active"]
    raw_id_fields = ["node"]


@admin.register(Scan)
class ScanAdmin(admin.ModelAdmin):
    list_display = ["venue", "scanned_at", "direction", "colour", "admitted"]
    raw_id_fields = ["venue", "person"]
