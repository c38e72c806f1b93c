from django.urls import path

from fangkong.companions import views

app_name = "companions"
urlpatterns = [
    path("", views.run_list, name="runs"),
    path("runs/<int:pk>/", views.run_detail, name="run"),
    path("candidates/<int:pk>/decide/", views.decide, name="decide"),
]
