from django.urls import path

from fangkong.exchange import views

app_name = "exchange"
urlpatterns = [
    path("", views.requests_view, name="requests"),
    path("new/", views.new_request, name="new"),
    path("<int:pk>/", views.request_detail, name="request"),
    path("partners/", views.partners_view, name="partners"),
    path("partners/<int:pk>/file.<str:fmt>", views.partner_file, name="partner_file"),
    path("inbox/", views.inbox, name="inbox"),
    path("cards/", views.cards_view, name="cards"),
    path("cards/export.<str:fmt>", views.cards_export, name="cards_export"),
]
