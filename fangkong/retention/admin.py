from django.contrib import admin

from fangkong.retention.models import RetentionRules

admin.site.register(
    RetentionRules,
    list_display=("effective_from", "scan_days", "location_days", "closed_record_days", "note"),
)
