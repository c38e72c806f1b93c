"""Registrations into the shared registries (audit, jurisdiction browser, home cards)."""


def register_hooks() -> None:
    from auditlog.registry import auditlog

    from fangkong.mobilisation import models as m

    auditlog.register(
        m.Member, exclude_fields=["phone_enc", "phone_index", "created_at", "updated_at", "path"]
    )
    for model in (m.PartyOrganisation, m.Unit, m.Post):
        auditlog.register(model, exclude_fields=["created_at", "updated_at", "path"])
    for model in (m.Registration, m.Assignment, m.PpeIssue, m.RestRuleSet):
        auditlog.register(model, exclude_fields=["path"])
