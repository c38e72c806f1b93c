from django.urls import path

from fangkong.selfservice import views

app_name = "selfservice"
urlpatterns = [
    path("declarations/", views.declarations, name="declarations"),
    path("appeals/", views.appeals, name="appeals"),
    path("appeals/<int:pk>/", views.appeal, name="appeal"),
]
