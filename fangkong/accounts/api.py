import datetime as dt
from typing import Any

from django.http import Http404, HttpRequest
from django.http.multipartparser import MultiPartParserError
from django.utils.translation import gettext as _
from ninja import Router, Schema

from fangkong.accounts.actions import (
    LoginRefused,
    issue_enrolment_code,
    issue_token,
    may_revoke,
    revoke,
    sign_out,
)
from fangkong.accounts.models import ApiToken, User
from fangkong.core import listing as lists
from fangkong.core.access import require

router = Router(tags=["auth"])


class AccountTokenIn(Schema):
    username: str
    password: str
    otp: str = ""


class TokenOut(Schema):
    token: str
    expires_at: str
    role: str
    node_code: str | None


class ErrorOut(Schema):
    detail: str


@router.post("/token", auth=None, response={200: TokenOut, 400: ErrorOut, 401: ErrorOut})
def token(request: HttpRequest, body: AccountTokenIn):  # type: ignore[no-untyped-def]
    """Exchange a username and password (and TOTP code where required) for a bearer token."""
    try:
        # Lockout bookkeeping (axes) reads the form body; a body that claims to be
        # multipart but cannot be parsed is the client's error, not ours.
        request.POST  # noqa: B018
    except MultiPartParserError:
        return 400, {"detail": _("the request body must be JSON")}
    try:
        raw, record = issue_token(request, body.username, body.password, body.otp)
    except LoginRefused as exc:
        return 401, {"detail": str(exc)}
    user = record.user
    return 200, {
        "token": raw,
        "expires_at": record.expires_at.isoformat(),
        "role": user.role,
        "node_code": user.node.code if user.node else None,
    }


class TokenRow(Schema):
    id: int
    username: str
    created_at: dt.datetime
    expires_at: dt.datetime
    last_used_at: dt.datetime | None
    revoked_at: dt.datetime | None
    revoked_reason: str
    current: bool = False


def _row(request: HttpRequest, t: ApiToken) -> dict:
    current = getattr(getattr(request, "api_token", None), "pk", None)
    return {
        "id": t.pk,
        "username": t.user.username,
        "created_at": t.created_at,
        "expires_at": t.expires_at,
        "last_used_at": t.last_used_at,
        "revoked_at": t.revoked_at,
        "revoked_reason": t.revoked_reason,
        "current": t.pk == current,
    }


def _rows(request: HttpRequest, tokens: Any) -> lists.Mapped:
    """The tokens one page at a time (`count` is every one), the caller's own marked."""
    return lists.Mapped(tokens, lambda t: _row(request, t))


@router.post("/logout", response={204: None})
def logout(request: HttpRequest):  # type: ignore[no-untyped-def]
    """Sign out of the API: the token presented is revoked at once."""
    sign_out(request.api_token)  # type: ignore[attr-defined]
    return 204, None


@lists.paged(router, "/tokens", TokenRow)
def my_tokens(request: HttpRequest):  # type: ignore[no-untyped-def]
    """The caller's own live tokens (no token value: only digests are stored), paged
    (`page`) with `count`."""
    live = ApiToken.objects.live().filter(user=request.user).select_related("user")
    return _rows(request, live.order_by("-created_at", "-pk"))


@lists.paged(router, "/accounts/tokens", TokenRow)
def area_tokens(request: HttpRequest):  # type: ignore[no-untyped-def]
    """Administrators: the live tokens of the accounts in their area, paged (`page`)
    with `count`."""
    require(
        request.user, "view", ApiToken, message=_("your role may not see other accounts' tokens")
    )
    live = ApiToken.objects.restrict(request.user, "view").live().select_related("user")
    return _rows(request, live.order_by("user__username", "-created_at", "-pk"))


@router.post("/tokens/{pk}/revoke", response=TokenRow)
def revoke_token(request: HttpRequest, pk: int):  # type: ignore[no-untyped-def]
    """Revoke a token: one's own, or (administrators) one of an account in their area."""
    token = ApiToken.objects.select_related("user").filter(pk=pk).first()
    if token is None or not may_revoke(request.user, token):
        raise Http404
    return _row(request, revoke(request.user, token))


class EnrolmentOut(Schema):
    username: str
    setup_code: str
    expires_at: dt.datetime


@router.post("/accounts/{user_id}/enrolment-code", response={201: EnrolmentOut})
def enrolment_code(request: HttpRequest, user_id: int):  # type: ignore[no-untyped-def]
    """System administrators: a one-time code for an account of their area to enrol its
    authenticator (shown once)."""
    account = User.objects.restrict(request.user, "enrol").filter(pk=user_id).first()
    if account is None:
        raise Http404
    raw, record = issue_enrolment_code(request.user, account)
    return 201, {"username": account.username, "setup_code": raw, "expires_at": record.expires_at}
