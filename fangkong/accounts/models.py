import hashlib
import secrets
from typing import Any

from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.utils.translation import gettext_lazy as _

from fangkong.accounts import roles
from fangkong.accounts.roles import Role
from fangkong.core import clock
from fangkong.core.fields import optional_ref, ref_to
from fangkong.core.querysets import RestrictedQuerySet, is_system


class UserQuerySet(RestrictedQuerySet):
    pass


class FangkongUserManager(UserManager.from_queryset(UserQuerySet)):  # type: ignore[misc]
    pass


class User(AbstractUser):
    """An account, bound to one node of the jurisdiction tree and holding one role."""

    role = models.CharField(
        _("role"), max_length=20, choices=Role.choices, default=Role.GRID_WORKER
    )
    node = optional_ref(
        "geo.Division", _("jurisdiction"), on_delete=models.PROTECT, related_name="accounts"
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

    def get_full_name(self) -> str:
        """The name shown on pages and in messages: the display name, else the account."""
        return str(self)

    def may(self, model_label: str, action: str) -> bool:
        """The role table decides, for every stored account (a superuser too); only
        the in-memory system actor passes everything."""
        return is_system(self) or roles.may(self.role, model_label, action)

    def has_perm(self, perm: str, obj: Any = None) -> bool:
        """Django's permissions (the admin site): for a superuser account they follow the
        role table (`app.view_model` is the role's `view` on `app.model`) instead of
        granting everything, so a system administrator manages accounts in the admin but
        does not browse records its role withholds. Other accounts keep Django's own."""
        if is_system(self):
            return True
        if not (self.is_active and self.is_superuser):
            return super().has_perm(perm, obj)
        app_label, _dot, codename = perm.partition(".")
        action, _sep, model = codename.partition("_")
        return bool(model) and roles.may(self.role, f"{app_label}.{model}", action)

    def has_module_perms(self, app_label: str) -> bool:
        if is_system(self):
            return True
        if not (self.is_active and self.is_superuser):
            return super().has_module_perms(app_label)
        return app_label in roles.apps_of(self.role)

    @property
    def needs_two_factor(self) -> bool:
        """Required for the roles configured (FANGKONG_2FA_ROLES, or the city-level roles
        under FANGKONG_REQUIRE_2FA) and for anyone who enrolled a device of their own."""
        from django.conf import settings
        from django_otp.plugins.otp_totp.models import TOTPDevice

        configured = set(getattr(settings, "FANGKONG_2FA_ROLES", []) or [])
        if not configured and settings.FANGKONG_REQUIRE_2FA:
            configured = set(roles.CITY_LEVEL_ROLES)
        if self.role in configured or (self.is_superuser and configured):
            return True
        return TOTPDevice.objects.filter(user=self, confirmed=True).exists()


class ApiTokenQuerySet(RestrictedQuerySet):
    def live(self) -> "ApiTokenQuerySet":
        return self.filter(revoked_at__isnull=True, expires_at__gt=clock.now())


class ApiToken(models.Model):
    """A bearer token for the API; only its SHA-256 is stored. Revoked by its holder,
    by an administrator, and on the holder's password, role or node change or
    deactivation; the row stays (when, why) for the record."""

    class Reason(models.TextChoices):
        SIGN_OUT = "sign_out", _("signed out")
        HOLDER = "holder", _("revoked by the holder")
        ADMIN = "admin", _("revoked by an administrator")
        PASSWORD = "password", _("password changed")
        ROLE = "role", _("role or jurisdiction changed")
        DEACTIVATED = "deactivated", _("account deactivated")

    user = ref_to(User, on_delete=models.CASCADE, related_name="api_tokens")
    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=clock.now)
    expires_at = models.DateTimeField()
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    revoked_reason = models.CharField(
        _("reason"), max_length=12, choices=Reason.choices, blank=True
    )

    scope_path = "user__node__path"
    objects = ApiTokenQuerySet.as_manager()

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


class EnrolmentCode(models.Model):
    """A one-time code an administrator issues so that an account may enrol its
    authenticator (TOTP): a stolen password alone cannot enrol the thief's phone. Only
    a digest is stored; the code lives 24 hours and serves once."""

    user = ref_to(User, on_delete=models.CASCADE)
    digest = models.CharField(max_length=64, unique=True)
    issued_by = ref_to(User)
    issued_at = models.DateTimeField(default=clock.now)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"enrolment code for {self.user}"
