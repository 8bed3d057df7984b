"""The notifications page is bounded (issue 15): newest first, a page at a time, its queries the
same at two sizes; opening a page marks only its own messages read; nobody reads another's."""

from django.urls import reverse
from django.utils.translation import gettext_noop

from agencies import context_processors
from agencies.views import notifications
from core.models import Notification
from core.notify import notify
from tests.queries import page_queries


def tell(user, count: int) -> None:
    for _ in range(count):
        notify([user], title=gettext_noop("Notifications"))


def test_the_page_is_keyset_paged_and_marks_only_what_it_shows(client_as, persona, monkeypatch):
    monkeypatch.setattr(notifications, "PAGE_SIZE", 4)
    user = persona("reporter_yn")
    client = client_as("reporter_yn")
    tell(user, 5)
    small = page_queries(client, reverse("notifications"))
    tell(user, 20)
    assert page_queries(client, reverse("notifications")) == small
    Notification.objects.filter(user=user).update(read_at=None)
    newest_first = Notification.objects.filter(user=user).order_by("-created_at", "-pk")
    mine = list(newest_first.values_list("pk", flat=True))
    newest = client.get(reverse("notifications")).context["page"]
    assert [n.pk for n in newest] == mine[:4] and newest.previous is None
    read = set(Notification.objects.filter(user=user, read_at__isnull=False).values_list("pk", flat=True))
    assert read == set(mine[:4])
    older = client.get(reverse("notifications"), {"after": newest.next}).context["page"]
    assert [n.pk for n in older] == mine[4:8]
    assert not client_as("office").get(reverse("notifications")).context["page"].rows


def test_the_top_bar_counts_unread_up_to_a_cap(client_as, persona, monkeypatch):
    monkeypatch.setattr(context_processors, "UNREAD_SHOWN", 3)
    user = persona("reporter_yn")
    client = client_as("reporter_yn")
    tell(user, 3)
    assert 'class="badge unread-count">3<' in client.get(reverse("provinces")).content.decode()
    tell(user, 2)
    assert 'class="badge unread-count">3+<' in client.get(reverse("provinces")).content.decode()
