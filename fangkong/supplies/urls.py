from django.urls import path

from fangkong.supplies import views

app_name = "supplies"
urlpatterns = [
    path("", views.index, name="index"),
    path("warehouses/<int:pk>/", views.warehouse, name="warehouse"),
    path("warehouses/<int:pk>/ledger.xlsx", views.ledger_xlsx, name="ledger_xlsx"),
    path("warehouses/<int:pk>/<slug:verb>/", views.warehouse_action, name="warehouse_action"),
    path("requests/", views.requests, name="requests"),
    path("requests/new/", views.request_new, name="request_new"),
    path("requests/<int:pk>/", views.request_detail, name="request"),
    path("requests/<int:pk>/<slug:verb>/", views.request_action, name="request_action"),
    path("donations/", views.donations, name="donations"),
    path("donations/<int:pk>/acknowledge/", views.acknowledge, name="acknowledge"),
    path("days/", views.days, name="days"),
    path("prices/", views.prices, name="prices"),
    path("prices/series/", views.price_series, name="price_series"),
    path("excel/", views.excel_page, name="excel"),
    path("excel/<slug:kind>.xlsx", views.export, name="export"),
]
