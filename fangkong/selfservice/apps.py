from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SelfServiceConfig(AppConfig):
    name = "fangkong.selfservice"
    label = "selfservice"
    verbose_name = _("Self-service health code")

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from fangkong.core import demo_steps, facts, home
        from fangkong.selfservice import demo, permissions  # noqa: F401
        from fangkong.selfservice.facts import add_declared, declared_persons
        from fangkong.selfservice.models import Appeal, SelfServiceRules

        # Declarations are facts the colour rules read (healthcode imports no selfservice).
        facts.register_source("selfservice.declarations", add_declared, declared_persons)
        demo_steps.register("selfservice", demo.declarations)
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
