from django.contrib import admin

from fangkong.healthcode.models import Arrival, CodeChange, CodeOverride, CodeRules, HealthCode

admin.site.register(
    CodeRules,
    list_display=["effective_from", "red_days", "red_checkins", "yellow_checkins", "qr_seconds"],
)


admin.site.register(
    HealthCode,
    list_display=["person", "colour", "since", "overridden"],
    list_filter=["colour"],
    raw_id_fields=["person"],
)


admin.site.register(
    CodeChange, list_display=["person", "from_colour", "to_colour", "at"], raw_id_fields=["person"]
)


admin.site.register(
    CodeOverride,
    list_display=["person", "colour", "reason", "by", "at", "active"],
    raw_id_fields=["person", "by"],
)


admin.site.register(
    Arrival, list_display=["person", "origin", "risk_level", "arrived_on"], raw_id_fields=["person"]
)
