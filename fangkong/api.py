"""The JSON API under /api/v1/: one NinjaAPI, a router per app, bearer tokens."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest
from ninja import NinjaAPI
from ninja.errors import ValidationError as NinjaValidationError
from ninja.parser import Parser

from fangkong.accounts.bearer import BearerToken
from fangkong.core.middleware import PARSED


class KeptParser(Parser):
    """The JSON body as RejectUnstorableInApi decoded it (once per request, not twice:
    a batch of scans is megabytes; orjson, `core.middleware.decode`); a body it did not
    decode (not sent as JSON) is parsed here."""

    def parse_body(self, request: HttpRequest):  # type: ignore[no-untyped-def]
        try:
            return request.__dict__.pop(PARSED)
        except KeyError:
            return super().parse_body(request)


api = NinjaAPI(
    title="Fangkong API",
    parser=KeptParser(),
    version="1",
    urls_namespace="api",
    auth=BearerToken(),
    docs_url="/docs",
)


def _field_errors(exc: ValidationError) -> list[dict]:
    if hasattr(exc, "error_dict"):
        return [
            {"loc": ["body", name], "msg": " ".join(str(m) for e in errs for m in e.messages)}
            for name, errs in exc.error_dict.items()
        ]
    return [{"loc": ["body"], "msg": " ".join(exc.messages)}]


@api.exception_handler(ValidationError)
def django_validation_error(request: HttpRequest, exc: ValidationError):  # type: ignore[no-untyped-def]
    return api.create_response(request, {"detail": _field_errors(exc)}, status=422)


@api.exception_handler(NinjaValidationError)
def schema_validation_error(request: HttpRequest, exc: NinjaValidationError):  # type: ignore[no-untyped-def]
    return api.create_response(request, {"detail": exc.errors}, status=422)


@api.exception_handler(PermissionDenied)
def permission_denied(request: HttpRequest, exc: PermissionDenied):  # type: ignore[no-untyped-def]
    return api.create_response(request, {"detail": str(exc) or "forbidden"}, status=403)


@api.exception_handler(PermissionError)
def permission_error(request: HttpRequest, exc: PermissionError):  # type: ignore[no-untyped-def]
    return api.create_response(request, {"detail": str(exc) or "forbidden"}, status=403)


def register_routers() -> None:
    from fangkong.accounts.api import router as auth_router
    from fangkong.geo.api import router as geo_router
    from fangkong.people.api import router as people_router

    api.add_router("/auth", auth_router)
    api.add_router("/jurisdictions", geo_router)
    api.add_router("/persons", people_router)

    from fangkong.screening.api import router as screening_router

    api.add_router("/screening", screening_router)

    from fangkong.observation.api import router as observation_router

    api.add_router("/observation", observation_router)

    from fangkong.companions.api import router as companions_router

    api.add_router("/companions", companions_router)

    from fangkong.command.api import router as command_router

    api.add_router("/command", command_router)

    from fangkong.briefing.api import router as briefing_router

    api.add_router("/briefing", briefing_router)

    from fangkong.supplies.api import router as supplies_router

    api.add_router("/supplies", supplies_router)

    from fangkong.clinical.api import router as clinical_router

    api.add_router("/clinical", clinical_router)

    from fangkong.healthcode.api import router as healthcode_router
    from fangkong.tracing.api import router as tracing_router

    api.add_router("/tracing", tracing_router)
    api.add_router("/healthcode", healthcode_router)

    from fangkong.public.api import router as public_router

    api.add_router("/public", public_router)

    from fangkong.mobilisation.api import router as mobilisation_router

    api.add_router("/mobilisation", mobilisation_router)

    from fangkong.supervision.api import router as supervision_router

    api.add_router("/supervision", supervision_router)

    from fangkong.care.api import router as care_router

    api.add_router("/care", care_router)

    from fangkong.notify.api import router as notify_router

    api.add_router("/notices", notify_router)

    # issue #19 (self-service code, risk areas)
    from fangkong.riskareas.api import router as riskareas_router
    from fangkong.selfservice.api import router as selfservice_router

    api.add_router("/riskareas", riskareas_router)
    api.add_router("/selfservice", selfservice_router)
    from fangkong.exchange.api import router as exchange_router

    api.add_router("/exchange", exchange_router)
    from fangkong.cockpit.api import router as cockpit_router

    api.add_router("/cockpit", cockpit_router)

    from fangkong.offline.api import router as offline_router

    api.add_router("/offline", offline_router)


register_routers()
