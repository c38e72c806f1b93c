from django.contrib import admin

from fangkong.healthcode.models import Arrival, CodeChange, CodeOverride, CodeRules, HealthCode


@admin.register(CodeRules)
class CodeRulesAdmin(admin.ModelAdmin):
    list_display = ["effective_from", "red_days", "red_checkins", "yellow_checkins", "qr_seconds"]


@admin.register(HealthCode)
class HealthCodeAdmin(admin.ModelAdmin):
    list_display = ["person", "colour", "since", "overridden"]
    list_filter = ["colour"]
    raw_id_fields = ["person"]


@admin.register(CodeChange)
class CodeChangeAdmin(admin.ModelAdmin):
    list_display = ["person", "from_colour", "to_colour", "at"]
    raw_id_fields = ["person"]


@admin.register(CodeOverride)
class CodeOverrideAdmin(admin.ModelAdmin):
    list_display = ["person", "colour", "reason", "by", "at", "active"]
    raw_id_fields = ["person", "by"]


@admin.register(Arrival)
class ArrivalAdmin(admin.ModelAdmin):
    list_display = ["person", "origin", "risk_level", "arrived_on"]
    raw_id_fields = ["person"]
