from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RetentionConfig(AppConfig):
    name = "fangkong.retention"
    label = "retention"
    verbose_name = _("Data retention")

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from fangkong.retention.models import RetentionRules

        auditlog.register(RetentionRules)
