"""The user's own notifications: the list, which marks them read."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from core import clock
from core.models import Notification


@login_required
def notification_list(request):
    """The user's messages; opening the list marks them read."""
    notifications = list(Notification.objects.restrict(request.user)[:200])
    Notification.objects.restrict(request.user, "change").filter(read_at__isnull=True).update(
        read_at=clock.now()
    )
    return render(request, "agencies/notifications.html", {"notifications": notifications})
