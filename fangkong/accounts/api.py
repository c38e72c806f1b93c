from django.http import HttpRequest
from django.http.multipartparser import MultiPartParserError
from django.utils.translation import gettext as _
from ninja import Router, Schema

from fangkong.accounts.actions import LoginRefused, issue_token

router = Router(tags=["auth"])


class TokenIn(Schema):
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
def token(request: HttpRequest, body: TokenIn):  # type: ignore[no-untyped-def]
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
