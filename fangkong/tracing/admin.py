from django.contrib import admin

from fangkong.tracing.models import Chain, Contact, IndexCase, Scan, TracingRules, Venue

admin.site.register(
    TracingRules,
    list_display=["effective_from", "days_before_onset", "proximity_m", "gate_fever_from"],
)


admin.site.register(
    IndexCase,
    list_display=["label", "onset_date", "isolated_on", "asymptomatic"],
    raw_id_fields=["person", "source_contact"],
)


admin.site.register(
    Contact,
    list_display=["name", "category", "status", "setting", "last_exposure"],
    list_filter=["category", "status", "setting"],
    raw_id_fields=["index", "source_contact", "person", "node"],
)


admin.site.register(Chain, list_display=["number", "size", "generations", "is_cluster", "active"])


admin.site.register(
    Venue, list_display=["name", "kind", "address", "active"], raw_id_fields=["node"]
)


admin.site.register(
    Scan,
    list_display=["venue", "scanned_at", "direction", "colour", "admitted"],
    raw_id_fields=["venue", "person"],
)
