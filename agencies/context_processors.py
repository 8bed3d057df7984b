"""Template context every page shares: the number of unread notifications (one query, lazily)."""

from django.utils.functional import SimpleLazyObject

from core.models import Notification


def unread_notifications(request):
    user = getattr(request, "user", None)
    if not user or not user.is_authenticated:
        return {}
    return {
        "unread_notifications": SimpleLazyObject(
            lambda: Notification.objects.restrict(user).filter(read_at__isnull=True).count()
        )
    }
