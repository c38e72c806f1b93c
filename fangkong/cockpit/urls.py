from django.urls import path

from fangkong.cockpit import views

app_name = "cockpit"
urlpatterns = [
    path("call/<int:pk>/", views.call, name="call"),
]
