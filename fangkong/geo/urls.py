from django.urls import path

from fangkong.geo import views

app_name = "geo"
urlpatterns = [
    path("", views.browse, name="browse"),
    path("<str:code>/", views.browse, name="node"),
]
