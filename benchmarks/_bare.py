"""The limits a hot path is measured against (benchmarks/_limits.py), served by gunicorn:

- `application`: a bare Django view — the project's settings with no middleware and one
  URL that decodes the JSON body and answers a small JSON object (settings module
  `_bare`, this file: `DJANGO_SETTINGS_MODULE=_bare gunicorn fangkong.wsgi`);
- `raw`: gunicorn alone, a plain WSGI callable answering the same bytes without Django.
Benchmark only."""

import json

from django.http import HttpRequest, JsonResponse
from django.urls import path

from fangkong.settings import *  # noqa: F403

MIDDLEWARE: list[str] = []
ROOT_URLCONF = "_bare"
BODY = b'{"colour":"green","name":"\\u5f20*","venue":"\\u4e1c\\u95e8"}'


def bare(request: HttpRequest) -> JsonResponse:
    data = json.loads(request.body) if request.body else {}
    return JsonResponse({"colour": "green", "name": "张*", "venue": str(len(data))})


def healthz(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"ok": True})


urlpatterns = [path("healthz", healthz), path("bare", bare), path("bare/<path:rest>", bare)]


def raw(environ: dict, start_response):  # type: ignore[no-untyped-def]
    """gunicorn alone: read the body, answer fixed bytes."""
    stream = environ.get("wsgi.input")
    length = int(environ.get("CONTENT_LENGTH") or 0)
    if stream is not None and length:
        stream.read(length)
    start_response(
        "200 OK", [("Content-Type", "application/json"), ("Content-Length", str(len(BODY)))]
    )
    return [BODY]
