"""The phone pages of care, mounted under the public path (no login)."""

from django.urls import path

from fangkong.care import pages

app_name = "care_public"
urlpatterns = [
    path("report/", pages.report, name="report"),
    path("mine/", pages.mine, name="mine"),
    path("mine/<int:pk>/rate/", pages.rate, name="rate"),
    path("deeds/", pages.deeds, name="deeds"),
    path("deeds/<int:pk>/", pages.deed, name="deed"),
    path("deeds/<int:pk>/photos/<int:photo_pk>/", pages.photo, name="photo"),
]
