from django.contrib import admin

from fangkong.briefing.models import Briefing, BriefingRules


@admin.register(BriefingRules)
class BriefingRulesAdmin(admin.ModelAdmin):
    list_display = ("effective_from", "cutoff", "history_days", "rt_window", "si_mean", "si_sd")


@admin.register(Briefing)
class BriefingAdmin(admin.ModelAdmin):
    list_display = ("node", "day", "status", "computed_at", "compute_seconds")
    raw_id_fields = ("node", "job")
    readonly_fields = ("data",)
