"""What the one skeleton of reviewed records (core/workflow.py) gives both record types alike.

The two decision forms had drifted: a quarterly decision posted without the version it was made on
went through unchecked. There is one decision form now, for progress entries and quarterly reports,
and one decision view (core/views/reviewed.py): each of its ways out is taken here for both types
(the form out of date, a return without a comment, a stale version, a record in another state, a
user who does not review, the decision taken).
"""

import pytest
from django.urls import reverse

from core.models import ChangeRecord
from tests.progress import log_entry
from tests.quarterly import file_report

pytestmark = [pytest.mark.django_db, pytest.mark.portal_date("2009-10-10")]


def submitted_entry(persona, decision="accept"):
    entry = log_entry(persona("liaison_mca"), "4.2.a", "2009Q3", submit=True)
    return entry, reverse("measures:entry_review", kwargs={"pk": entry.pk, "decision": decision})


def submitted_report(persona, decision="accept"):
    report = file_report(persona("reporter_gx"), "2009Q3", submit=True)
    url = reverse(
        "reports:report_decide", kwargs={"division": "450000", "period": "2009Q3", "decision": decision}
    )
    return report, url


RECORDS = pytest.mark.parametrize(
    "record, owner",
    [(submitted_entry, "liaison_mca"), (submitted_report, "reporter_gx")],
    ids=["progress entry", "quarterly report"],
)


def unchanged(saved, history: int) -> None:
    """``saved`` is as it was submitted, and nothing was added to the history."""
    version = saved.version
    saved.refresh_from_db()
    assert (saved.state, saved.version) == ("submitted", version)
    assert ChangeRecord.objects.count() == history


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


@RECORDS
@pytest.mark.parametrize("comment", ["", "   "], ids=["empty", "blank"])
def test_a_return_without_a_comment_names_the_comment_and_changes_nothing(
    record, owner, comment, persona, client_as
):
    saved, url = record(persona, "return")
    history = ChangeRecord.objects.count()
    answer = client_as("office").post(url, {"comment": comment, "version": saved.version})
    assert answer.status_code == 400
    assert "报告须填写意见" in answer.content.decode()  # by the comment, on the record's page
    unchanged(saved, history)


@RECORDS
def test_a_decision_on_a_stale_version_changes_nothing(record, owner, persona, client_as):
    saved, url = record(persona)
    history = ChangeRecord.objects.count()
    answer = client_as("office").post(url, {"comment": "", "version": saved.version - 1}, follow=True)
    assert "未作出任何决定" in answer.content.decode()
    unchanged(saved, history)


@RECORDS
def test_a_decision_the_state_no_longer_allows_is_refused(record, owner, persona, client_as):
    saved, url = record(persona)
    office = client_as("office")
    office.post(url, {"comment": "", "version": saved.version})
    saved.refresh_from_db()
    history = ChangeRecord.objects.count()
    answer = office.post(url, {"comment": "", "version": saved.version}, follow=True)  # accepted again
    assert "不能作出该决定" in answer.content.decode()
    version = saved.version
    saved.refresh_from_db()
    assert (saved.state, saved.version) == ("accepted", version)
    assert ChangeRecord.objects.count() == history


@RECORDS
def test_only_the_office_decides(record, owner, persona, client_as):
    saved, url = record(persona)
    history = ChangeRecord.objects.count()
    assert client_as(owner).post(url, {"comment": "", "version": saved.version}).status_code == 403
    unchanged(saved, history)
