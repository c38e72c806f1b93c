from django.urls import path

from fangkong.briefing import views

app_name = "briefing"
urlpatterns = [
    path("", views.today, name="today"),
    path("rules/", views.rules, name="rules"),
    path("risk-rules/", views.risk_rules, name="risk_rules"),
    path("<str:code>/<str:day>/", views.detail, name="detail"),
    path("<str:code>/<str:day>/pdf/", views.as_pdf, name="pdf"),
    path("<str:code>/<str:day>/compute/", views.compute, name="compute"),
]
