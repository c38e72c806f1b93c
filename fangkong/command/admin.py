from django.contrib import admin

from fangkong.command.models import (
    Decision,
    Directive,
    DirectiveReceipt,
    Indicator,
    MeasureList,
    Meeting,
    ReportTemplate,
    ResponseLevel,
    Submission,
    Target,
    TaskForce,
)

admin.site.register(ResponseLevel, list_display=("effective_from", "grade", "note"))


class IndicatorInline(admin.TabularInline):
    model = Indicator
    exclude = ("path",)


admin.site.register(Target, list_display=("name", "node", "owner"), inlines=[IndicatorInline])


admin.site.register(MeasureList, list_display=("name", "level", "active"))


admin.site.register(TaskForce, list_display=("name", "node", "leader"))


admin.site.register(Directive, list_display=("title", "node", "issued_at", "deadline"))


admin.site.register(
    DirectiveReceipt,
    list_display=("directive", "node", "acknowledged_at", "reported_at", "escalated_at"),
    raw_id_fields=("node", "escalated_to", "directive"),
)


admin.site.register(Meeting, list_display=("title", "node", "day"))


admin.site.register(Decision, list_display=("text", "owner", "deadline", "status"))


admin.site.register(
    ReportTemplate, list_display=("name", "node", "level", "schedule", "deadline_time")
)


admin.site.register(
    Submission,
    list_display=("template", "node", "period", "on_time", "completeness"),
    raw_id_fields=("node",),
)
