from django.contrib import admin

from fangkong.screening import models


@admin.register(models.ScreeningRules)
class ScreeningRulesAdmin(admin.ModelAdmin):
    list_display = ("effective_from", "default_due_hours", "key_area_due_hours", "note")


@admin.register(models.ListSource)
class ListSourceAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "node")
    raw_id_fields = ("node",)


@admin.register(models.PushedList)
class PushedListAdmin(admin.ModelAdmin):
    list_display = ("file_name", "source", "status", "created_at")
    raw_id_fields = ("node", "job", "uploaded_by")


@admin.register(models.AddressAlias)
class AddressAliasAdmin(admin.ModelAdmin):
    list_display = ("text", "node")
    search_fields = ("text",)
    raw_id_fields = ("node",)


@admin.register(models.ScreeningTask)
class ScreeningTaskAdmin(admin.ModelAdmin):
    list_display = ("subject", "node", "status", "due_at", "outcome")
    list_filter = ("status", "outcome")
    raw_id_fields = ("subject", "node")


@admin.register(models.ExceptionItem)
class ExceptionItemAdmin(admin.ModelAdmin):
    list_display = ("kind", "status", "node", "address")
    raw_id_fields = ("subject", "task", "node", "assigned_to", "resolved_by")
