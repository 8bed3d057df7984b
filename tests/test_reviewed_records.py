"""What the one skeleton of reviewed records (core/workflow.py) gives both record types alike.

The two decision forms had drifted: a quarterly decision posted without the version it was made on
went through unchecked. There is one decision form now, for progress entries and quarterly reports.
"""

import pytest
from django.urls import reverse

from core.models import ChangeRecord
from tests.progress import log_entry
from tests.quarterly import file_report

pytestmark = [pytest.mark.django_db, pytest.mark.portal_date("2009-10-10")]


def submitted_entry(persona):
    entry = log_entry(persona("liaison_mca"), "4.2.a", "2009Q3", submit=True)
    return entry, reverse("measures:entry_review", kwargs={"pk": entry.pk, "decision": "accept"})


def submitted_report(persona):
    report = file_report(persona("reporter_gx"), "2009Q3", submit=True)
    url = reverse(
        "reports:report_decide", kwargs={"province": "450000", "period": "2009Q3", "decision": "accept"}
    )
    return report, url


@pytest.mark.parametrize(
    "record", [submitted_entry, submitted_report], ids=["progress entry", "quarterly report"]
)
@pytest.mark.parametrize("version", [None, "", "not a number"], ids=["missing", "empty", "text"])
def test_a_decision_without_the_version_it_was_made_on_changes_nothing(record, version, persona, client_as):
    saved, url = record(persona)
    history = ChangeRecord.objects.count()
    data = {"comment": ""} if version is None else {"comment": "", "version": version}
    answer = client_as("office").post(url, data, follow=True)
    assert "页面已过期" in answer.content.decode()  # the message, shown on the record's page
    before = saved.state, saved.version
    saved.refresh_from_db()
    assert (saved.state, saved.version) == before == ("submitted", saved.version)
    assert ChangeRecord.objects.count() == history


@pytest.mark.parametrize(
    "record", [submitted_entry, submitted_report], ids=["progress entry", "quarterly report"]
)
def test_a_decision_with_the_version_is_taken(record, persona, client_as):
    saved, url = record(persona)
    client_as("office").post(url, {"comment": "", "version": saved.version})
    saved.refresh_from_db()
    assert saved.state == "accepted"
