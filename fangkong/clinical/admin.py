from django.contrib import admin

from fangkong.clinical.models import (
    Bed,
    Case,
    ClinicalRules,
    ClinicVisit,
    Cluster,
    ExpertTeam,
    Facility,
    Sample,
    Transfer,
    Ward,
)

admin.site.register(
    ClinicalRules,
    list_display=["effective_from", "r10_cluster_threshold", "r9_report_hours", "note"],
)


admin.site.register(
    Facility,
    list_display=["name", "kind", "node", "active"],
    list_filter=["kind"],
    raw_id_fields=["node"],
    filter_horizontal=["staff"],
)


admin.site.register([Ward, Bed, ExpertTeam])


admin.site.register(
    ClinicVisit,
    list_display=["pk", "facility", "arrived_at", "disposition"],
    raw_id_fields=["person", "first_doctor", "responsible_doctor"],
)


admin.site.register(
    Case,
    list_display=["number", "status", "severity", "outcome", "facility", "diagnosed_at"],
    list_filter=["status", "outcome"],
    raw_id_fields=["person", "visit"],
)


admin.site.register([Sample, Transfer, Cluster])
