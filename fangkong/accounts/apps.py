from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "fangkong.accounts"
    label = "accounts"
    verbose_name = _("Accounts")

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from fangkong.accounts import permissions, signals  # noqa: F401
        from fangkong.accounts.models import ApiToken

        auditlog.register(ApiToken, exclude_fields=["digest", "last_used_at"])

        from fangkong.accounts.demo import accounts
        from fangkong.core import demo_steps

        demo_steps.register_ground("accounts", accounts, order=20)
