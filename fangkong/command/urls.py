from django.urls import path

from fangkong.command import views

app_name = "command"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("directives/", views.directive_list, name="directives"),
    path("directives/sweep/", views.sweep, name="sweep"),
    path("directives/<int:pk>/", views.directive_detail, name="directive"),
    path("directives/<int:pk>/attachment/", views.attachment, name="attachment"),
    path("receipts/", views.inbox, name="inbox"),
    path("receipts/<int:pk>/acknowledge/", views.receipt_ack, name="ack"),
    path("receipts/<int:pk>/report/", views.receipt_report, name="report_back"),
    path("meetings/", views.meeting_list, name="meetings"),
    path("meetings/<int:pk>/", views.meeting_detail, name="meeting"),
    path("decisions/<int:pk>/close/", views.decision_close, name="close_decision"),
    path("reports/", views.report_list, name="reports"),
    path("reports/<int:pk>/", views.report_detail, name="report"),
]
