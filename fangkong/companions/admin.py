from django.contrib import admin

from fangkong.companions.models import (
    CandidateExposure,
    CompanionRules,
    CompanionRun,
    DataIdentity,
    RunCase,
)

admin.site.register(
    CompanionRules,
    list_display=["effective_from", "theta_minutes", "bucket_minutes", "days_before_onset"],
)


admin.site.register(
    CompanionRun,
    list_display=["pk", "dataset", "engine", "node", "created_at"],
    raw_id_fields=["job", "node", "created_by", "rules"],
)


admin.site.register(
    RunCase, list_display=["run", "ref", "companions", "note"], raw_id_fields=["run", "person"]
)


admin.site.register(
    CandidateExposure,
    list_display=["run", "case", "ref", "rank", "overlap_seconds", "exposure", "decision"],
    list_filter=["decision"],
    raw_id_fields=["run", "case", "person", "decided_by"],
)


admin.site.register(
    DataIdentity, list_display=["dataset", "ref", "person"], raw_id_fields=["person"]
)
