from django.urls import path

from fangkong.selfservice import pages

app_name = "selfcode"
urlpatterns = [
    path("", pages.apply, name="apply"),
    path("mine/<str:token>/", pages.result, name="result"),
]
