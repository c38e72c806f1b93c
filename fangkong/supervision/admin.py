from django.contrib import admin

from fangkong.supervision import models

admin.site.register(
    models.SupervisionRuleSet,
    list_display=("effective_from", "rectification_days", "escalation_grace_days", "note"),
)


admin.site.register(models.Checklist, list_display=("topic", "active", "updated_at"))


admin.site.register(models.AccountabilityDecision, list_display=("code", "name", "order", "active"))


admin.site.register(
    models.InspectionPlan,
    list_display=("title", "node", "starts_on", "ends_on"),
    raw_id_fields=("node", "created_by"),
)


admin.site.register(
    models.InspectionTeam,
    list_display=("name", "plan", "leader"),
    raw_id_fields=("plan", "leader", "members"),
)


admin.site.register(
    models.Inspection,
    list_display=("node", "kind", "planned_on", "status"),
    list_filter=("kind", "status"),
    raw_id_fields=("team", "node", "leader", "subject", "recorded_by"),
)


admin.site.register(
    models.Finding,
    list_display=("__str__", "inspection", "severity"),
    raw_id_fields=("inspection", "cadre", "created_by"),
)


admin.site.register(
    models.Rectification,
    list_display=("owner_node", "deadline", "status"),
    list_filter=("status",),
    raw_id_fields=("finding", "owner_node", "owner_user", "created_by"),
    readonly_fields=("replied_by", "verified_by", "closed_by"),
)


admin.site.register(
    models.Commendation,
    list_display=("title", "member", "organisation", "decided_by", "decided_on"),
    raw_id_fields=("member", "organisation", "created_by"),
)


admin.site.register(
    models.AccountabilityCase,
    list_display=("member", "decision", "decided_by", "decided_on"),
    raw_id_fields=("finding", "member", "created_by"),
)
