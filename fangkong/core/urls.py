from django.urls import path

from fangkong.core import pages

urlpatterns = [
    path("", pages.home, name="home"),
    path("audit/", pages.audit_log, name="audit"),
    path("jobs/<int:pk>/", pages.job_status, name="job"),
]
