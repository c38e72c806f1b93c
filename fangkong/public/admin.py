from django.contrib import admin

from fangkong.public import models as m


@admin.register(m.PublicRules)
class PublicRulesAdmin(admin.ModelAdmin):
    list_display = ["effective_from", "answer_hours", "rtw_days_before", "gathering_ban"]


@admin.register(m.Enterprise)
class EnterpriseAdmin(admin.ModelAdmin):
    list_display = ["credit_code", "name", "listed_on"]
    search_fields = ["credit_code", "name"]


@admin.register(m.Bulletin)
class BulletinAdmin(admin.ModelAdmin):
    list_display = ["day", "node", "title", "status"]
    readonly_fields = ["status", "published_at", "published_by"]


@admin.register(m.Article)
class ArticleAdmin(admin.ModelAdmin):
    list_display = ["title", "node", "published"]


@admin.register(m.Rumour)
class RumourAdmin(admin.ModelAdmin):
    list_display = ["__str__", "status", "node"]


@admin.register(m.Question)
class QuestionAdmin(admin.ModelAdmin):
    list_display = ["ticket", "node", "department", "due_at", "answered_at"]
    exclude = ["phone_enc", "phone_index"]


@admin.register(m.WorkApplication)
class WorkApplicationAdmin(admin.ModelAdmin):
    list_display = ["company", "node", "status", "resume_date", "approval_level"]


@admin.register(m.SchoolPlan)
class SchoolPlanAdmin(admin.ModelAdmin):
    list_display = ["school", "node", "status", "return_date"]


@admin.register(m.Gathering)
class GatheringAdmin(admin.ModelAdmin):
    list_display = ["kind", "planned_on", "node", "handling"]
    exclude = ["phone_enc"]
