from django.urls import path

from fangkong.supervision import cadre_views, views

app_name = "supervision"
urlpatterns = [
    path("", views.index, name="index"),
    path("plans/", views.plans, name="plans"),
    path("plans/<int:pk>/", views.plan, name="plan"),
    path("inspections/", views.inspections, name="inspections"),
    path("inspections/<int:pk>/", views.inspection, name="inspection"),
    path("findings/<int:pk>/photos/", views.add_photo, name="add_photo"),
    path("findings/<int:pk>/rectification/", views.assign, name="assign"),
    path("photos/<int:pk>/", views.photo, name="photo"),
    path("tasks/", views.tasks, name="tasks"),
    path("tasks/<int:pk>/", views.task, name="task"),
    path("checklists/", views.checklists, name="checklists"),
    path("commendations/", cadre_views.commendations, name="commendations"),
    path("cases/", cadre_views.cases, name="cases"),
    path("cadres/<int:pk>/", cadre_views.cadre, name="cadre"),
    path("cadres/<int:pk>/export.xlsx", cadre_views.cadre_export, name="cadre_export"),
]
