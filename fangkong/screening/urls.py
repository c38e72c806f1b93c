from django.urls import path

from fangkong.screening import public, views, views_places

app_name = "screening"
urlpatterns = [
    path("lists/", views.lists, name="lists"),
    path("lists/<int:pk>/", views.report, name="report"),
    path("lists/<int:pk>/report.xlsx", views.report_xlsx, name="report_xlsx"),
    path("lists/<int:pk>/rerun/", views.rerun, name="rerun"),
    path("sources/", views.sources, name="sources"),
    path("today/", views.today, name="today"),
    path("tasks/<int:pk>/", views.task_detail, name="task"),
    path("tasks/<int:pk>/transfer/", views.task_transfer, name="transfer"),
    path("exceptions/", views.exceptions, name="exceptions"),
    path("exceptions/<int:pk>/assign/", views.exception_assign, name="assign"),
    path("aliases/", views_places.aliases, name="aliases"),
    path("grid-keys/", views_places.grid_keys, name="grid_keys"),
    path("village/", views_places.village_tasks, name="village_tasks"),
    path("residents/", views_places.residents_load, name="residents"),
    path("handovers/", views.handovers, name="handovers"),
    path("handovers/<int:pk>/site/", views.handover_site, name="handover_site"),
    path("progress/", views.progress_page, name="progress"),
    path("progress/<str:code>/", views.progress_page, name="progress_node"),
    path("progress/<str:code>/export.xlsx", views.progress_xlsx, name="progress_xlsx"),
    path("declare/", public.declare, name="declare"),
    path("declarations/", views.declarations, name="declarations"),
    path("declarations/<int:pk>/review/", views.declaration_review, name="declaration_review"),
    path("declare/qr.svg", public.declare_qr, name="declare_qr"),
    path("declare/poster/", public.poster, name="poster"),
]
