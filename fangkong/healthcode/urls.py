from django.urls import path

from fangkong.healthcode import public, views

app_name = "healthcode"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("persons/<int:person_id>/", views.person_code, name="person"),
    path("me/<str:token>/", public.my_code, name="my_code"),
]
