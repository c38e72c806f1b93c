from django.contrib import admin

from fangkong.clinical import models

admin.site.register(
    models.ClinicalRules,
    list_display=["effective_from", "r10_cluster_threshold", "r9_report_hours", "note"],
)


admin.site.register(
    models.Facility,
    list_display=["name", "kind", "node", "active"],
    list_filter=["kind"],
    raw_id_fields=["node"],
    filter_horizontal=["staff"],
)


admin.site.register([models.Ward, models.Bed, models.ExpertTeam])


admin.site.register(
    models.ClinicVisit,
    list_display=["pk", "facility", "arrived_at", "disposition"],
    raw_id_fields=["person", "first_doctor", "responsible_doctor"],
)


admin.site.register(
    models.Case,
    list_display=["number", "status", "severity", "outcome", "facility", "diagnosed_at"],
    list_filter=["status", "outcome"],
    raw_id_fields=["person", "visit"],
)


admin.site.register([models.Sample, models.Transfer, models.Cluster])
