from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from fangkong.accounts.models import ApiToken, User


@admin.register(User)
class FangkongUserAdmin(UserAdmin):
    list_display = ("username", "display_name", "role", "node", "is_active")
    list_filter = ("role", "is_active")
    fieldsets = (
        *(UserAdmin.fieldsets or ()),
        ("Fangkong", {"fields": ("role", "node", "display_name")}),
    )
    raw_id_fields = ("node",)


admin.site.register(
    ApiToken,
    list_display=("user", "created_at", "expires_at", "last_used_at"),
    readonly_fields=("digest",),
)
