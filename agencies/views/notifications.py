"""The user's own notifications: the list, newest first and paged, which marks those shown read."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from core import clock
from core.models import Notification
from core.paging import keyset_page

PAGE_SIZE = 50


@login_required
def notification_list(request):
    """The user's messages, a page at a time (keyset paging); opening a page marks its messages read."""
    page = keyset_page(Notification.objects.restrict(request.user), request.GET, PAGE_SIZE, "created_at")
    unread = [n.pk for n in page if n.read_at is None]
    if unread:
        Notification.objects.restrict(request.user, "change").filter(pk__in=unread).update(
            read_at=clock.now()
        )
    return render(request, "agencies/notifications.html", {"page": page})
