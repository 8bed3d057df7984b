from django.contrib.auth import views as auth_views
from django.urls import path

from agencies import views
from agencies.forms import LockedPasswordChangeForm


class LockedPasswordChangeView(auth_views.PasswordChangeView):
    """Django's password change, its current password counted like a sign-in (see the form); a
    locked account gets the form again with the wait, as 429 (axes' middleware keeps a 429)."""

    form_class = LockedPasswordChangeForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "request": self.request}

    def form_invalid(self, form):
        response = super().form_invalid(form)
        if getattr(self.request, "axes_locked_out", False) or form.has_error("old_password", "locked"):
            response.status_code = 429
        return response


urlpatterns = [
    path("provinces/", views.province_list, name="provinces"),
    path("notifications/", views.notification_list, name="notifications"),
    path("accounts/login/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("accounts/logout/", views.SignOutView.as_view(), name="logout"),
    path("accounts/2fa/setup/", views.two_factor_setup, name="two_factor_setup"),
    path("accounts/2fa/", views.two_factor_verify, name="two_factor_verify"),
    path("accounts/password/", LockedPasswordChangeView.as_view(), name="password_change"),
    path(
        "accounts/password/done/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
]
