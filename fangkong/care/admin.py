from django.contrib import admin

from fangkong.care import models as m


@admin.register(m.CareRules)
class CareRulesAdmin(admin.ModelAdmin):
    list_display = ["effective_from", "solve_days", "photo_max_kb", "photos_per_deed"]


@admin.register(m.Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "active", "order"]


@admin.register(m.Difficulty)
class DifficultyAdmin(admin.ModelAdmin):
    list_display = ["__str__", "node", "status", "deadline"]
    readonly_fields = ["phone_masked", "status", "solved_at", "rating"]
    exclude = ["phone_enc", "phone_index"]


@admin.register(m.Deed)
class DeedAdmin(admin.ModelAdmin):
    list_display = ["title", "node", "status", "published_at"]
    readonly_fields = ["status", "published_at", "reviewed_by", "commendation"]
