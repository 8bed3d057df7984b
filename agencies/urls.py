"""URLs of the organisation's pages: provinces, agencies by division, notifications, signing in and
out, the second factor,
the password change; and the pickers' searches (named ``agencies:division_search`` and
``agencies:agency_search``)."""

from django.contrib.auth import views as auth_views
from django.urls import include, path

from agencies.views.imports import organisation_import_page
from agencies.views.notifications import notification_list
from agencies.views.organisation import agency_list, province_list
from agencies.views.pickers import agency_search_view, division_search_view
from agencies.views.sign_in import LockedPasswordChangeView, SignOutView, two_factor_setup, two_factor_verify

# In the namespace "agencies" (the older pages here were named before namespaces).
picker_patterns = [
    path("divisions/search/", division_search_view, name="division_search"),
    path("agencies/search/", agency_search_view, name="agency_search"),
]
# The administrators' import of agencies and users, in the same namespace: agencies:import.
import_patterns = [path("organisation/import/", organisation_import_page, name="import")]
# The agencies by division (agencies:agency_list).
organisation_patterns = [path("organisation/agencies/", agency_list, name="agency_list")]

urlpatterns = [
    path("", include((picker_patterns + import_patterns + organisation_patterns, "agencies"))),
    path("provinces/", province_list, name="provinces"),
    path("notifications/", notification_list, name="notifications"),
    path("accounts/login/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("accounts/logout/", SignOutView.as_view(), name="logout"),
    path("accounts/2fa/setup/", two_factor_setup, name="two_factor_setup"),
    path("accounts/2fa/", two_factor_verify, name="two_factor_verify"),
    path("accounts/password/", LockedPasswordChangeView.as_view(), name="password_change"),
    path(
        "accounts/password/done/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
]
