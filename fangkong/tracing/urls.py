from django.urls import path

from fangkong.tracing import public, views

app_name = "tracing"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("cases/<int:pk>/", views.case_detail, name="case"),
    path("contacts/<int:pk>/", views.contact_detail, name="contact"),
    path("contacts/<int:pk>/<slug:verb>/", views.contact_action, name="contact_action"),
    path("chains/", views.chains, name="chains"),
    path("chains/<int:pk>/", views.chain_detail, name="chain"),
    path("venues/", views.venues_view, name="venues"),
    path("venues/<int:pk>/", views.venue_detail, name="venue"),
    path("venues/<int:pk>/qr.svg", views.venue_qr, name="venue_qr"),
    path("venues/<int:pk>/gate/", views.gate, name="gate"),
    path("venues/<int:pk>/gate/id-tail/", views.gate_tail, name="gate_tail"),
    path("venues/<int:pk>/gate/pick/", views.gate_pick, name="gate_pick"),
    path("v/<str:code>/", public.scan_page, name="scan_page"),
]
