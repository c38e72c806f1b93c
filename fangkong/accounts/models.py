import hashlib
import secrets

from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.utils.translation import gettext_lazy as _

from fangkong.accounts import roles
from fangkong.accounts.roles import Role
from fangkong.core import clock
from fangkong.core.querysets import RestrictedQuerySet


class UserQuerySet(RestrictedQuerySet):
    pass


class FangkongUserManager(UserManager.from_queryset(UserQuerySet)):  # type: ignore[misc]
    pass


class User(AbstractUser):
    """An account, bound to one node of the jurisdiction tree and holding one role."""

    role = models.CharField(
        _("role"), max_length=20, choices=Role.choices, default=Role.GRID_WORKER
    )
    node = models.ForeignKey(
        "geo.Division",
        verbose_name=_("jurisdiction"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="accounts",
    )
    display_name = models.CharField(_("display name"), max_length=60, blank=True)
    phone_masked = models.CharField(_("phone"), max_length=20, blank=True)

    scope_path = "node__path"
    objects = FangkongUserManager()  # type: ignore[misc]

    class Meta:
        verbose_name = _("account")
        verbose_name_plural = _("accounts")

    def __str__(self) -> str:
        return self.display_name or self.username

    def may(self, model_label: str, action: str) -> bool:
        return self.is_superuser or roles.may(self.role, model_label, action)

    @property
    def needs_two_factor(self) -> bool:
        return self.role in roles.CITY_LEVEL_ROLES or self.is_superuser


class ApiToken(models.Model):
    """A bearer token for the API; only its SHA-256 is stored."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=clock.now)
    expires_at = models.DateTimeField()
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"{self.user} token {self.digest[:8]}"

    @staticmethod
    def hash(raw: str) -> str:
        return hashlib.sha256(raw.encode()).hexdigest()

    @staticmethod
    def new_raw() -> str:
        return secrets.token_urlsafe(32)
