from django.http import HttpRequest
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


@router.post("/token", auth=None, response={200: TokenOut, 401: ErrorOut})
def token(request: HttpRequest, body: TokenIn):  # type: ignore[no-untyped-def]
    """Exchange a username and password (and TOTP code where required) for a bearer token."""
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
