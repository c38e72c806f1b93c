from django.contrib import admin

from fangkong.observation import models

admin.site.register(
    models.ObservationRules,
    list_display=("effective_from", "days", "fever_threshold", "negative_test_required"),
)


class RoomInline(admin.TabularInline):
    model = models.Room
    extra = 0
    exclude = ("path",)


admin.site.register(
    models.QuarantineSite,
    list_display=("name", "address", "node", "doctor", "active"),
    raw_id_fields=("node", "doctor", "staff"),
    inlines=[RoomInline],
)


@admin.register(models.ObservationPeriod)
class ObservationPeriodAdmin(admin.ModelAdmin):
    """Read-mostly: writes go through the pages so the rules and the audit apply."""

    list_display = ("person", "reason", "start_date", "planned_end", "status", "place_kind")
    list_filter = ("status", "reason", "place_kind")
    raw_id_fields = ("person", "grid", "grid_worker", "doctor", "responsible", "site", "room")
    readonly_fields = ("planned_end", "path", "certificate_code")


admin.site.register(
    models.CheckIn,
    list_display=("period", "local_date", "window", "temperature", "reporter_kind"),
    raw_id_fields=("period", "reported_by"),
)


admin.site.register(
    models.Placement,
    list_display=("period", "kind", "room", "started_at", "ended_at"),
    raw_id_fields=("period", "room", "site", "by"),
)


admin.site.register(
    models.AlertTask,
    list_display=("period", "local_date", "window", "assigned_to", "status"),
    raw_id_fields=("period", "assigned_to", "done_by"),
)


admin.site.register(
    models.Referral,
    list_display=("period", "status", "clinic", "created_at"),
    raw_id_fields=("period", "checkin", "resolved_by"),
)
