from django.urls import path

from fangkong.riskareas import views

app_name = "riskareas"
urlpatterns = [
    path("", views.area_list, name="list"),
    path("<int:pk>/end/", views.end, name="end"),
]
