"""The phone pages that work without a signal, the village's sync page, and what makes
them an installable app (manifest, service worker)."""

import functools
import hashlib
import json
from pathlib import Path

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from fangkong.core import clock
from fangkong.core import listing as lists
from fangkong.core.access import record, require
from fangkong.core.forms import flashed, posted
from fangkong.core.querysets import allows
from fangkong.offline import actions
from fangkong.offline.models import DeviceStatus, OrphanVisit, SyncReceipt
from fangkong.screening.forms import VisitForm

# Bumped when the cached shell must be refreshed on every phone (each file's revision is
# also the hash of its content, so a changed file is fetched again).
SHELL_VERSION = "1"
STATIC_SHELL = [
    "fangkong/app.css",
    "vendor/htmx/htmx.min.js",
    "vendor/idb/umd.js",
    "offline/app.js",
    "offline/register.js",
    "offline/offline.css",
    "offline/icon-192.png",
    "offline/icon-512.png",
]


@functools.cache
def _revision(path: str) -> str:
    from django.contrib.staticfiles import finders

    found = finders.find(path)
    if not found or isinstance(found, list):
        return SHELL_VERSION
    return SHELL_VERSION + "-" + hashlib.sha256(Path(found).read_bytes()).hexdigest()[:16]


def _api_base() -> str:
    return reverse("api:key").removesuffix("key")


@login_required
def workbench(request: HttpRequest) -> HttpResponse:
    """Today's visits and missed check-ins, kept on the phone; record without a signal."""
    require(request.user, "add", SyncReceipt)
    return render(
        request,
        "offline/workbench.html",
        {"form": VisitForm(), "rules": actions.rules(), "api_base": _api_base()},
    )


@login_required
def gate(request: HttpRequest) -> HttpResponse:
    """The gate without a signal: the code's signature and expiry checked on the phone."""
    require(request.user, "add", SyncReceipt)
    from fangkong.tracing.actions import rules_in_force

    fever = rules_in_force(clock.today()).gate_fever_from
    return render(
        request,
        "offline/gate.html",
        {"rules": actions.rules(), "api_base": _api_base(), "fever": fever},
    )


@login_required
def status_page(request: HttpRequest) -> HttpResponse:
    """The village's view: each worker's phone, items waiting, last sync; orphan visits."""
    require(request.user, "view", DeviceStatus)
    from django.db.models import Sum

    devices = DeviceStatus.objects.restrict(request.user, "view").select_related("user")
    orphans = OrphanVisit.objects.restrict(request.user, "view").select_related("visited_by")
    return render(
        request,
        "offline/status.html",
        {
            # Both lists paged with their totals (`page` and `opage`).
            "devices": lists.paginate(request, devices.order_by("-waiting", "-reported_at", "pk")),
            "orphans": lists.paginate(
                request, orphans.order_by("resolved_at", "-received_at", "-pk"), prefix="o"
            ),
            "waiting_total": devices.aggregate(n=Sum("waiting"))["n"] or 0,
        },
    )


@login_required
@require_POST
def resolve_orphan(request: HttpRequest, pk: int) -> HttpResponse:
    orphan = record(request.user, OrphanVisit.objects, pk, "change")
    resolution = request.POST.get("resolution", "")
    flashed(
        request, lambda: actions.resolve_orphan(request.user, orphan, resolution), _("Resolved.")
    )
    return redirect("offline:status")


@login_required
def rules_page(request: HttpRequest) -> HttpResponse:
    """The dated offline rules: in force today, every set, and a new one (city HQ)."""
    from fangkong.offline.forms import RulesForm
    from fangkong.offline.models import OfflineRules

    user = request.user
    require(user, "view", OfflineRules)
    current = actions.rules()
    initial = {"effective_from": clock.today(), **{f: getattr(current, f) for f in actions.LIMITS}}
    form = RulesForm(request.POST or None, initial=initial)
    if posted(request, form, lambda d: actions.add_rules(user, **d), _("Rule set added.")):
        return redirect("offline:rules")
    return render(
        request,
        "offline/rules.html",
        {
            "current": current,
            # Every dated rule set, paged with the total (were the last 50).
            "sets": lists.paginate(
                request, OfflineRules.objects.order_by("-effective_from", "-pk")
            ),
            "form": form,
            "can_add": allows(user, OfflineRules, "add"),
        },
    )


def manifest(request: HttpRequest) -> HttpResponse:
    data = {
        "name": _("Fangkong field workbench"),
        "short_name": _("Fangkong"),
        "description": _("Today's visits, missed check-ins and the gate, with or without a signal"),
        "lang": "zh-CN",
        "start_url": reverse("offline:workbench"),
        "scope": "/",
        "display": "standalone",
        "background_color": "#ffffff",
        "theme_color": "#b71c1c",
        "icons": [
            {"src": static("offline/icon-192.png"), "sizes": "192x192", "type": "image/png"},
            {"src": static("offline/icon-512.png"), "sizes": "512x512", "type": "image/png"},
        ],
    }
    return HttpResponse(
        json.dumps(data, ensure_ascii=False), content_type="application/manifest+json"
    )


@never_cache
def service_worker(request: HttpRequest) -> HttpResponse:
    """The service worker, at the site root so that it may cache the worker's pages."""
    body = render(
        request,
        "offline/sw.js",
        {
            "workbox": static("vendor/workbox/"),
            "precache": json.dumps(
                [{"url": static(p), "revision": _revision(p)} for p in STATIC_SHELL]
            ),
            "shell": json.dumps([reverse("offline:workbench"), reverse("offline:gate")]),
        },
        content_type="application/javascript",
    )
    return body
