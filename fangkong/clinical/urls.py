from django.urls import path

from fangkong.clinical import views

app_name = "clinical"
urlpatterns = [
    path("", views.board, name="board"),
    path("visits/new/", views.visit_new, name="visit_new"),
    path("visits/<int:pk>/", views.visit_detail, name="visit"),
    path("visits/<int:pk>/<slug:verb>/", views.visit_action, name="visit_action"),
    path("cases/<int:pk>/", views.case_detail, name="case"),
    path("cases/<int:pk>/<slug:verb>/", views.case_action, name="case_action"),
    path("lab/", views.lab_import, name="lab_import"),
    path("facilities/", views.facilities, name="facilities"),
    path("facilities/<int:pk>/", views.facility_detail, name="facility"),
    path("clusters/", views.clusters, name="clusters"),
    path("clusters/<int:pk>/report/", views.cluster_report, name="cluster_report"),
    path("rules/", views.rules_view, name="rules"),
]
