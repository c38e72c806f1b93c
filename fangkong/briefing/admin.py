from django.contrib import admin

from fangkong.briefing.models import Briefing, BriefingRules

admin.site.register(
    BriefingRules,
    list_display=("effective_from", "cutoff", "history_days", "rt_window", "si_mean", "si_sd"),
)


admin.site.register(
    Briefing,
    list_display=("node", "day", "status", "computed_at", "compute_seconds"),
    raw_id_fields=("node", "job"),
    readonly_fields=("data",),
)
