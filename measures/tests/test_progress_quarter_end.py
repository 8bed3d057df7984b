"""Issue 10, 9: an entry on a quarter that has not ended cannot be submitted (service, page, API).

On 2010-01-10 an entry on 2010 Q1 may be written and saved as a draft, but it reports on a quarter
that runs until 2010-03-31: submitting it is refused, with the day from which it can be submitted.
On 2010-04-01 the same submission goes through.
"""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation
from django.utils.formats import date_format

from core import clock
from measures import services
from measures.models import ProgressEntry
from tests.fixtures import in_english
from tests.progress import (
    at,
    edit_url,
    log_entry,
    period,
)

pytestmark = pytest.mark.django_db

SUBMITTABLE_FROM = dt.date(2010, 4, 1)


def from_date(language: str) -> str:
    """2010-04-01 as the portal writes a date in ``language`` (2010年4月1日, April 1, 2010)."""
    with translation.override(language):
        return date_format(SUBMITTABLE_FROM)


def test_the_period_knows_when_it_ends():
    q1 = period("2010Q1")
    assert q1.submittable_from == SUBMITTABLE_FROM
    assert not q1.has_ended(dt.date(2010, 1, 10)) and not q1.has_ended(dt.date(2010, 3, 31))
    assert q1.has_ended(SUBMITTABLE_FROM)


def test_service_refuses_until_the_quarter_has_ended(persona, english):
    mca = persona("liaison_mca")
    # A draft on the quarter being lived through is allowed.
    draft = log_entry(mca, "4.2.a", "2010Q1", when="2010-01-10")
    assert draft.state == "draft"
    with clock.travel(at("2010-01-10")), pytest.raises(ValidationError) as error:
        services.progress_entry_submit(actor=mca, entry_id=draft.pk, version=draft.version)
    assert error.value.message_dict["period"] == [
        f"2010 Q1 has not ended yet: the entry can be submitted from {from_date('en')}. "
        "Save it as a draft until then."
    ]
    # Saving and submitting at once is refused the same way, and nothing of it is saved.
    with pytest.raises(ValidationError) as error:
        log_entry(
            mca, "4.2.a", "2010Q1", when="2010-03-31", version=draft.version, narrative="新", submit=True
        )
    assert from_date("en") in error.value.message_dict["period"][0]
    entry = ProgressEntry.objects.get(pk=draft.pk)
    assert (entry.state, entry.narrative, entry.version) == ("draft", draft.narrative, draft.version)
    # The quarter is over: the same submission goes through, on time.
    with clock.travel(at("2010-04-01")):
        entry = services.progress_entry_submit(actor=mca, entry_id=draft.pk, version=draft.version)
    assert entry.state == "submitted" and not entry.is_late


def test_the_page_says_from_when_and_refuses_a_submission(client_as, persona):
    mca = persona("liaison_mca")
    client = client_as("liaison_mca")
    with clock.travel(at("2010-01-10")):
        form = client.get(edit_url("4.2.a", "2010Q1")).content.decode()
        with translation.override("zh-hans"):
            quarter = str(period("2010Q1"))  # 2010年第1季度
        assert f"{quarter}尚未结束，自{from_date('zh-hans')}起方可提交" in form
        assert 'name="submit"' not in form  # no button that can only be refused
        # A submission posted anyway (an old tab, a crafted form) is refused with the date.
        refused = client.post(
            edit_url("4.2.a", "2010Q1"), {"status": "on_track", "narrative": "进展", "submit": "1"}
        )
        body = refused.content.decode()
        assert refused.status_code == 200 and from_date("zh-hans") in body
        assert "进展" in body and not ProgressEntry.objects.exists()
        saved = client.post(
            edit_url("4.2.a", "2010Q1"), {"status": "on_track", "narrative": "进展", "save": "1"}
        )
        entry = ProgressEntry.objects.get()
        assert saved.status_code == 302 and entry.state == "draft"
        detail_url = reverse("measures:entry", kwargs={"pk": entry.pk})
        detail = in_english(client).get(detail_url).content.decode()
        assert f"2010 Q1 has not ended yet: the entry can be submitted from {from_date('en')}" in detail
        submit_url = reverse("measures:entry_submit", kwargs={"pk": entry.pk})
        response = client.post(submit_url, {"version": entry.version}, follow=True)
        assert from_date("en") in response.content.decode()
        assert ProgressEntry.objects.get(pk=entry.pk).state == "draft"
    with clock.travel(at("2010-04-01")):
        assert 'name="submit"' in client.get(edit_url("4.2.a", "2010Q1")).content.decode()
        client.post(submit_url, {"version": entry.version})
    assert ProgressEntry.objects.get(pk=entry.pk).state == "submitted"
    assert entry.unit == mca.unit


def test_the_api_refuses_with_the_date(api_as, persona):
    api = in_english(api_as("liaison_mca"))
    with clock.travel(at("2010-01-10")):
        entry = log_entry(persona("liaison_mca"), "4.2.a", "2010Q1", when="2010-01-10")
        url = f"/api/progress-entries/{entry.pk}/submit/"
        response = api.post(url, {"version": entry.version}, format="json")
        assert response.status_code == 400, response.content
        assert from_date("en") in response.json()["period"][0]
        assert ProgressEntry.objects.get(pk=entry.pk).state == "draft"
    with clock.travel(at("2010-04-01")):
        response = api.post(url, {"version": entry.version}, format="json")
    assert response.status_code == 200 and response.json()["state"] == "submitted"
