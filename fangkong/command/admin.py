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


@admin.register(ResponseLevel)
class ResponseLevelAdmin(admin.ModelAdmin):
    list_display = ("effective_from", "grade", "note")


class IndicatorInline(admin.TabularInline):
    model = Indicator
    exclude = ("path",)


@admin.register(Target)
class TargetAdmin(admin.ModelAdmin):
    list_display = ("name", "node", "owner")
    inlines = [IndicatorInline]


@admin.register(MeasureList)
class MeasureListAdmin(admin.ModelAdmin):
    list_display = ("name", "level", "active")


@admin.register(TaskForce)
class TaskForceAdmin(admin.ModelAdmin):
    list_display = ("name", "node", "leader")


@admin.register(Directive)
class DirectiveAdmin(admin.ModelAdmin):
    list_display = ("title", "node", "issued_at", "deadline")


@admin.register(DirectiveReceipt)
class DirectiveReceiptAdmin(admin.ModelAdmin):
    list_display = ("directive", "node", "acknowledged_at", "reported_at", "escalated_at")
    raw_id_fields = ("node", "escalated_to", "directive")


@admin.register(Meeting)
class MeetingAdmin(admin.ModelAdmin):
    list_display = ("title", "node", "day")


@admin.register(Decision)
class DecisionAdmin(admin.ModelAdmin):
    list_display = ("text", "owner", "deadline", "status")


@admin.register(ReportTemplate)
class ReportTemplateAdmin(admin.ModelAdmin):
    list_display = ("name", "node", "level", "schedule", "deadline_time")


@admin.register(Submission)
class SubmissionAdmin(admin.ModelAdmin):
    list_display = ("template", "node", "period", "on_time", "completeness")
    raw_id_fields = ("node",)
