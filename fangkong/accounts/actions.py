import datetime as dt
import secrets
import time
from typing import Any

from django.conf import settings
from django.contrib.auth import authenticate
from django.db import transaction
from django.utils.translation import gettext as _
from django_otp import devices_for_user

from fangkong.accounts.models import ApiToken, EnrolmentCode, User
from fangkong.core import clock
from fangkong.core.access import NotAllowed
from fangkong.core.access import actor as audit_actor
from fangkong.core.models import copy_instance

TOKEN_LIFETIME = dt.timedelta(hours=12)


class LoginRefused(Exception):
    pass


def verify_otp(user: User, code: str) -> bool:
    return any(device.verify_token(code) for device in devices_for_user(user, confirmed=True))


def issue_token(request: Any, username: str, password: str, otp: str = "") -> tuple[str, ApiToken]:
    """Check credentials (through axes, so failures count towards lockout) and
    return a new raw bearer token with its record."""
    user = authenticate(request, username=username, password=password)
    if user is None:
        raise LoginRefused(_("wrong username or password, or the account is locked"))
    if user.needs_two_factor:
        if not otp or not verify_otp(user, otp):
            raise LoginRefused(_("a valid two-factor code (otp) is required for this account"))
    raw = ApiToken.new_raw()
    token = ApiToken.objects.create(
        user=user, digest=ApiToken.hash(raw), expires_at=clock.now() + TOKEN_LIFETIME
    )
    return raw, token


# Bearer tokens seen lately, per process (issue #21): digest -> (good until, record).
# A gate device calls many times a second; its token is read from the database once
# per FANGKONG_TOKEN_CACHE_SECONDS. Every revocation in this process empties the cache
# at once (and again when its transaction commits); one made by another process is
# honoured when the entry runs out. Expiry is checked on every use.
_tokens: dict[str, tuple[float, ApiToken]] = {}
_TOKENS_MAX = 10_000


def forget_tokens() -> None:
    """Drop every cached token record (after a revocation or a change of an account)."""
    _tokens.clear()


def _forget_now_and_on_commit() -> None:
    forget_tokens()
    transaction.on_commit(forget_tokens)


def _copy(token: ApiToken) -> ApiToken:
    """A request's own copy of a cached record and its account (a request may set
    attributes on request.user; they must not reach the next request)."""
    return copy_instance(token, user=copy_instance(token.user))


def _lookup(digest: str) -> ApiToken | None:
    token = (
        ApiToken.objects.live().select_related("user", "user__node").filter(digest=digest).first()
    )
    if token is None or not token.user.is_active:
        return None
    return token


def token_for(raw: str) -> ApiToken | None:
    """The live token record of a raw bearer token (not revoked, not expired)."""
    digest = ApiToken.hash(raw)
    ttl = settings.FANGKONG_TOKEN_CACHE_SECONDS
    now = time.monotonic()
    hit = _tokens.get(digest)
    token: ApiToken | None
    if hit is not None and hit[0] > now:
        token = hit[1]
    else:
        token = _lookup(digest)
        if token is None:
            _tokens.pop(digest, None)
            return None
        if ttl > 0:
            if len(_tokens) >= _TOKENS_MAX:
                _tokens.clear()
            _tokens[digest] = (now + ttl, token)
    if token.expires_at <= clock.now():
        _tokens.pop(digest, None)
        return None
    return _copy(token)


def user_for_token(raw: str) -> User | None:
    token = token_for(raw)
    return token.user if token is not None else None


def revoke_all(user: User, reason: str) -> int:
    """Revoke every live token of `user`; the number revoked."""
    _forget_now_and_on_commit()
    return (
        ApiToken.objects.live()
        .filter(user=user)
        .update(revoked_at=clock.now(), revoked_reason=reason)
    )


def may_revoke(actor: Any, token: ApiToken) -> bool:
    """The holder always; an administrator for accounts of their subtree."""
    if getattr(actor, "pk", None) == token.user_id:
        return True
    return ApiToken.objects.restrict(actor, "revoke").filter(pk=token.pk).exists()


def revoke(actor: Any, token: ApiToken) -> ApiToken:
    """Revoke one token, by its holder or by an administrator of the holder's area."""
    if not may_revoke(actor, token):
        raise NotAllowed(_("you may not revoke this token"))
    reason = ApiToken.Reason.HOLDER if actor.pk == token.user_id else ApiToken.Reason.ADMIN
    with transaction.atomic(), audit_actor(actor):
        token = ApiToken.objects.select_for_update().get(pk=token.pk)
        if token.revoked_at is None:  # saved, not updated: the audit log records it
            token.revoked_at, token.revoked_reason = clock.now(), reason
            token.save(update_fields=["revoked_at", "revoked_reason"])
        _forget_now_and_on_commit()
    return token


def sign_out(token: ApiToken) -> None:
    """API logout: the token presented is revoked."""
    _forget_now_and_on_commit()
    ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(
        revoked_at=clock.now(), revoked_reason=ApiToken.Reason.SIGN_OUT
    )


ENROLMENT_TTL = dt.timedelta(hours=24)


def issue_enrolment_code(admin: Any, account: User) -> tuple[str, EnrolmentCode]:
    """A one-time setup code for `account` to enrol an authenticator; issued by a system
    administrator of the account's area, shown to them once."""
    if not User.objects.restrict(admin, "enrol").filter(pk=account.pk).exists():
        raise NotAllowed(_("you may not set up two-factor sign-in for this account"))
    raw = "-".join(secrets.token_hex(2).upper() for _i in range(3))
    with transaction.atomic(), audit_actor(admin):
        record = EnrolmentCode.objects.create(
            user=account,
            digest=ApiToken.hash(raw),
            issued_by=admin,
            expires_at=clock.now() + ENROLMENT_TTL,
        )
    return raw, record


def use_enrolment_code(user: User, raw: str) -> bool:
    """True (and the code used up) when `raw` is a live setup code issued for `user`."""
    digest = ApiToken.hash(raw.strip().upper())
    return bool(
        EnrolmentCode.objects.filter(
            user=user, digest=digest, used_at__isnull=True, expires_at__gt=clock.now()
        ).update(used_at=clock.now())
    )


def start_totp_enrolment(user: Any) -> Any:
    """A fresh, unconfirmed authenticator for `user` (after a valid setup code): any
    earlier unconfirmed one is dropped, so one enrolment is pending at a time."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    TOTPDevice.objects.filter(user=user, confirmed=False).delete()  # type: ignore[misc]
    return TOTPDevice.objects.create(user=user, name="default", confirmed=False)  # type: ignore[misc]


def confirm_totp_device(device: Any) -> None:
    """The first correct code from the authenticator confirms it."""
    device.confirmed = True
    device.save(update_fields=["confirmed"])
