"""Pages of the agencies app: provinces, signing out."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import LogoutView
from django.shortcuts import render
from django.utils.translation import gettext as _

from agencies import clock

from .models import Notification, Province


@login_required
def province_list(request):
    provinces = Province.objects.restrict(request.user)
    return render(request, "agencies/province_list.html", {"provinces": provinces})


class SignOutView(LogoutView):
    """Sign out, and say so on the sign-in page that follows."""

    def post(self, request, *args, **kwargs):
        response = super().post(request, *args, **kwargs)
        messages.info(request, _("You have signed out."))
        return response


@login_required
def notification_list(request):
    """The user's messages; opening the list marks them read."""
    notifications = list(Notification.objects.restrict(request.user)[:200])
    Notification.objects.restrict(request.user, "change").filter(read_at__isnull=True).update(
        read_at=clock.now()
    )
    return render(request, "agencies/notifications.html", {"notifications": notifications})
