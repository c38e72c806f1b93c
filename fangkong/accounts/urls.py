from django.contrib.auth import views as auth_views
from django.urls import path

from fangkong.accounts import views

urlpatterns = [
    path(
        "login/",
        auth_views.LoginView.as_view(
            template_name="accounts/login.html", redirect_authenticated_user=True
        ),
        name="login",
    ),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("2fa/", views.two_factor, name="two_factor"),
    path("tokens/", views.tokens, name="tokens"),
    path("enrolment/", views.enrolment, name="enrolment"),
]
