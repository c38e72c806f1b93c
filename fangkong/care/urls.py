from django.urls import path

from fangkong.care import views

app_name = "care"
urlpatterns = [
    path("difficulties/", views.difficulties, name="difficulties"),
    path("difficulties/levels/", views.levels, name="levels"),
    path("difficulties/<int:pk>/", views.difficulty, name="difficulty"),
    path("rules/", views.rules, name="rules"),
    path("deeds/", views.deeds, name="deeds"),
    path("deeds/<int:pk>/", views.deed, name="deed"),
    path("deeds/<int:pk>/photos/<int:photo_pk>/", views.photo, name="photo"),
]
