from django.contrib.auth import views as auth_views
from django.urls import path

from . import views

urlpatterns = [
    path("provinces/", views.province_list, name="provinces"),
    path("notifications/", views.notification_list, name="notifications"),
    path("accounts/login/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("accounts/logout/", views.SignOutView.as_view(), name="logout"),
    path("accounts/2fa/setup/", views.two_factor_setup, name="two_factor_setup"),
    path("accounts/2fa/", views.two_factor_verify, name="two_factor_verify"),
    path("accounts/password/", auth_views.PasswordChangeView.as_view(), name="password_change"),
    path(
        "accounts/password/done/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
]
