from django.urls import path

from fangkong.geo import views

app_name = "geo"
urlpatterns = [
    path("", views.browse, name="browse"),
    path("pick/", views.pick, name="pick"),
    path("<str:code>/", views.browse, name="node"),
]
