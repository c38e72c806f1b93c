from django.contrib import admin
from django.urls import include, path

from fangkong.api import api
from fangkong.core.adminscope import scope_admin
from fangkong.core.views import healthz
from fangkong.offline.views import service_worker

scope_admin(admin.site)  # the admin's lists go through restrict() too

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("api/v1/", api.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("accounts/", include("fangkong.accounts.urls")),
    path("geo/", include("fangkong.geo.urls")),
    path("people/", include("fangkong.people.urls")),
    path("screening/", include("fangkong.screening.urls")),
    path("observation/", include("fangkong.observation.urls")),
    path("companions/", include("fangkong.companions.urls")),
    path("clinical/", include("fangkong.clinical.urls")),
    path("command/", include("fangkong.command.urls")),
    path("supplies/", include("fangkong.supplies.urls")),
    path("tracing/", include("fangkong.tracing.urls")),
    path("healthcode/", include("fangkong.healthcode.urls")),
    path("briefing/", include("fangkong.briefing.urls")),
    path("care/", include("fangkong.care.urls")),
    path("public/care/", include("fangkong.care.public_urls")),
    path("public/code/", include("fangkong.selfservice.public_urls")),  # issue #19
    path("selfservice/", include("fangkong.selfservice.urls")),  # issue #19
    path("riskareas/", include("fangkong.riskareas.urls")),  # issue #19
    path("public/", include("fangkong.public.urls")),
    path("supervision/", include("fangkong.supervision.urls")),
    path("mobilisation/", include("fangkong.mobilisation.urls")),
    path("notices/", include("fangkong.notify.urls")),
    path("exchange/", include("fangkong.exchange.urls")),
    path("cockpit/", include("fangkong.cockpit.urls")),
    path("offline/", include("fangkong.offline.urls")),
    path("sw.js", service_worker, name="service_worker"),
    path("", include("fangkong.core.urls")),
]
