from django.urls import path

from fangkong.offline import views

app_name = "offline"

urlpatterns = [
    path("", views.workbench, name="workbench"),
    path("gate/", views.gate, name="gate"),
    path("status/", views.status_page, name="status"),
    path("rules/", views.rules_page, name="rules"),
    path("orphans/<int:pk>/resolve/", views.resolve_orphan, name="resolve"),
    path("manifest.webmanifest", views.manifest, name="manifest"),
]
