"""The API's bearer-token authentication (an account's `ApiToken`), used by the one
NinjaAPI (`fangkong.api`) and by routers that accept a token beside the session
(offline)."""

from django.http import HttpRequest
from ninja.security import HttpBearer

from fangkong.accounts.actions import token_for


class BearerToken(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str):  # type: ignore[no-untyped-def]
        record = token_for(token)
        if record is None:
            return None
        request.user = record.user
        request.api_token = record  # type: ignore[attr-defined]  # for sign-out
        return record.user


# One authenticator for the lean handlers that check a token themselves
# (FANGKONG_LEAN_FAST): building one inspects its class, a cost per request otherwise.
BEARER = BearerToken()
