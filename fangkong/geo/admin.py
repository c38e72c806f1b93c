from django.contrib import admin

from fangkong.geo.models import Division

admin.site.register(
    Division,
    list_display=("code", "name", "level", "households"),
    list_filter=("level",),
    search_fields=("code", "name"),
    raw_id_fields=("parent",),
    readonly_fields=("path",),
)
