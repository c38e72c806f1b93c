from django.contrib import admin

from fangkong.command import models

admin.site.register(models.ResponseLevel, list_display=("effective_from", "grade", "note"))


class IndicatorInline(admin.TabularInline):
    model = models.Indicator
    exclude = ("path",)


admin.site.register(
    models.Target, list_display=("name", "node", "owner"), inlines=[IndicatorInline]
)


admin.site.register(models.MeasureList, list_display=("name", "level", "active"))


admin.site.register(models.TaskForce, list_display=("name", "node", "leader"))


admin.site.register(models.Directive, list_display=("title", "node", "issued_at", "deadline"))


admin.site.register(
    models.DirectiveReceipt,
    list_display=("directive", "node", "acknowledged_at", "reported_at", "escalated_at"),
    raw_id_fields=("node", "escalated_to", "directive"),
)


admin.site.register(models.Meeting, list_display=("title", "node", "day"))


admin.site.register(models.Decision, list_display=("text", "owner", "deadline", "status"))


admin.site.register(
    models.ReportTemplate, list_display=("name", "node", "level", "schedule", "deadline_time")
)


admin.site.register(
    models.Submission,
    list_display=("template", "node", "period", "on_time", "completeness"),
    raw_id_fields=("node",),
)
