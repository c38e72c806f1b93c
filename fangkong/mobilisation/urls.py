from django.urls import path

from fangkong.mobilisation import phone, views

app_name = "mobilisation"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("organisations/", views.organisation_list, name="organisations"),
    path("organisations/new/", views.organisation_edit, name="organisation_new"),
    path("organisations/<int:pk>/", views.organisation_detail, name="organisation"),
    path("organisations/<int:pk>/edit/", views.organisation_edit, name="organisation_edit"),
    path("units/", views.unit_list, name="units"),
    path("units/new/", views.unit_edit, name="unit_new"),
    path("units/<int:pk>/edit/", views.unit_edit, name="unit_edit"),
    path("members/", views.member_list, name="members"),
    path("members/new/", views.member_edit, name="member_new"),
    path("members/<int:pk>/", views.member_detail, name="member"),
    path("members/<int:pk>/edit/", views.member_edit, name="member_edit"),
    path("registrations/", views.registration_list, name="registrations"),
    path("registrations/<int:pk>/decide/", views.registration_decide, name="decide"),
    path("posts/", views.post_list, name="posts"),
    path("posts/new/", views.post_edit, name="post_new"),
    path("posts/<int:pk>/", views.post_roster, name="roster"),
    path("posts/<int:pk>/edit/", views.post_edit, name="post_edit"),
    path("rules/", views.rest_rules, name="rules"),
    path("m/", phone.start, name="phone"),
    path("m/verify/", phone.verify, name="verify"),
    path("m/me/", phone.me, name="me"),
    path("m/withdraw/", phone.withdraw, name="withdraw"),
    path("m/leave/", phone.sign_out, name="leave"),
]
