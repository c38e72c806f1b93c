from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SelfServiceConfig(AppConfig):
    name = "fangkong.selfservice"
    label = "selfservice"
    verbose_name = _("Self-service health code")

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from fangkong.core import home
        from fangkong.selfservice import permissions  # noqa: F401
        from fangkong.selfservice.models import Appeal, SelfServiceRules

        auditlog.register(Appeal)
        auditlog.register(SelfServiceRules)
        home.register(
            home.Card(
                _("Self-declarations and appeals"),
                "selfservice:appeals",
                "selfservice.appeal",
                "view",
                _("Codes applied for by residents, contradictions with stored facts, appeals"),
                lambda user: Appeal.objects.restrict(user, "view").pending().count(),
            )
        )
