from django.urls import path

from fangkong.observation import public, views

app_name = "observation"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("lists/<slug:name>/", views.line_list_view, name="list"),
    path("periods/new/", views.period_create, name="start"),
    path("periods/<int:pk>/", views.period_detail, name="period"),
    path("periods/<int:pk>/certificate.pdf", public.certificate_pdf, name="certificate"),
    path("periods/<int:pk>/<slug:verb>/", views.period_action, name="period_action"),
    path("sites/", views.sites, name="sites"),
    path("sites/<int:pk>/", views.site_detail, name="site"),
    path("tasks/", views.tasks, name="tasks"),
    path("tasks/<int:pk>/done/", views.task_done, name="task_done"),
    path("referrals/<int:pk>/resolve/", views.referral_resolve, name="referral_resolve"),
    path("rules/", views.rules_view, name="rules"),
    path("c/<str:token>/", public.self_checkin, name="self_checkin"),
    path("verify/<str:code>/", public.verify, name="verify"),
]
