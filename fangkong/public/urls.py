from django.urls import path

from fangkong.public import pages, views

app_name = "public"
urlpatterns = [
    # Residents (no login).
    path("", pages.home, name="home"),
    path("history/", pages.history, name="history"),
    path("day/<str:day>/", pages.bulletin_day, name="day"),
    path("knowledge/", pages.knowledge, name="knowledge"),
    path("ask/", pages.ask, name="ask"),
    path("ask/code/", pages.send_code, name="send_code"),
    path("ticket/", pages.ticket, name="ticket"),
    path("answers/", pages.answers, name="answers"),
    path("rumour/", pages.report_rumour, name="report_rumour"),
    path("declare/<str:token>/", pages.declare, name="declare"),
    path("resumed/", pages.resumed, name="resumed"),
    path("gathering/", pages.report_gathering, name="report_gathering"),
    # Staff.
    path("staff/bulletins/", views.bulletins, name="bulletins"),
    path("staff/bulletins/<int:pk>/", views.bulletin_detail, name="bulletin"),
    path("staff/articles/", views.articles, name="articles"),
    path("staff/rumours/", views.rumours, name="rumours"),
    path("staff/rumours/<int:pk>/", views.rumour_detail, name="rumour"),
    path("staff/questions/", views.questions, name="questions"),
    path("staff/questions/escalate/", views.escalate, name="escalate"),
    path("staff/questions/<int:pk>/", views.question_detail, name="question"),
    path("staff/applications/", views.applications, name="applications"),
    path("staff/applications/batch/", views.publish_batch, name="publish_batch"),
    path("staff/applications/<int:pk>/", views.application_detail, name="application"),
    path("staff/schools/", views.schools, name="schools"),
    path("staff/schools/<int:pk>/", views.school_detail, name="school"),
    path("staff/gatherings/", views.gatherings, name="gatherings"),
    path("staff/gatherings/<int:pk>/", views.gathering_detail, name="gathering"),
]
