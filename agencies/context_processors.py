"""Template context every page shares: the number of unread notifications (one query, lazily)."""

from django.utils.functional import SimpleLazyObject

from core.models import Notification

# The top bar counts unread notifications up to this many and shows more as "99+": a count that
# stops at the cap costs the same for a user with ten thousand unread as for one with ten.
UNREAD_SHOWN = 99


def unread_notifications(request):
    user = getattr(request, "user", None)
    if not user or not user.is_authenticated:
        return {}

    def badge() -> str:
        unread = Notification.objects.restrict(user).filter(read_at__isnull=True).order_by()
        count = unread[: UNREAD_SHOWN + 1].count()
        return f"{UNREAD_SHOWN}+" if count > UNREAD_SHOWN else str(count or "")

    return {"unread_notifications": SimpleLazyObject(badge)}
