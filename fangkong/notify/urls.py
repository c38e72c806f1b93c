from django.urls import path

from fangkong.notify import views

app_name = "notify"

urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("bell/", views.bell, name="bell"),
    path("<int:pk>/read/", views.mark, name="mark"),
    path("<int:pk>/act/", views.act, name="act"),
    path("preferences/", views.preferences, name="preferences"),
    path("schedule/", views.schedule_page, name="schedule"),
]
