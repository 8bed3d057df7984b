"""Who sees and does what with progress entries, in pages and API: personas × objects × actions.

404 where a user may not see an entry (a draft of another unit, a measure the unit is not on, a
role with no part in progress); 403 where they see it but may not act on it.
"""

import pytest
from django.urls import reverse

from measures import services
from tests.progress import log_entry, pdf

pytestmark = pytest.mark.django_db

ENTRIES = ["draft_mca", "submitted_mca", "draft_mps", "shared_mps", "private_mps"]
# Which of the entries each persona sees (everything else answers 404).
SEES = {
    "liaison_mca": {"draft_mca", "submitted_mca", "shared_mps"},
    "liaison_mps": {"draft_mps", "shared_mps", "private_mps"},
    "office": {"submitted_mca", "shared_mps", "private_mps"},
    "auditor": {"submitted_mca", "shared_mps", "private_mps"},
    "admin": {"submitted_mca", "shared_mps", "private_mps"},
    "reporter_gx": set(),
    "case_mps": set(),
}


@pytest.fixture
def world(persona):
    mca, mps = persona("liaison_mca"), persona("liaison_mps")
    return {
        "draft_mca": log_entry(mca, "4.2.a", "2009Q3"),  # 民政部负责, 全国妇联配合
        "submitted_mca": log_entry(mca, "4.2.a", "2009Q2", submit=True, new_files=[pdf()]),
        "draft_mps": log_entry(mps, "3.1.a", "2009Q3"),  # 公安部负责
        "shared_mps": log_entry(mps, "4.4", "2009Q3", submit=True),  # 公安部负责, 民政部、全国妇联配合
        "private_mps": log_entry(mps, "3.1.a", "2009Q2", submit=True),
    }


@pytest.mark.parametrize("name", list(SEES))
def test_entry_pages_and_api(client_as, api_as, world, name):
    client, api = client_as(name), api_as(name)
    for key in ENTRIES:
        expected = 200 if key in SEES[name] else 404
        entry = world[key]
        assert client.get(reverse("measures:entry", kwargs={"pk": entry.pk})).status_code == expected, key
        assert api.get(f"/api/progress-entries/{entry.pk}/").status_code == expected, key
    listed = {e["id"] for e in api.get("/api/progress-entries/?limit=100").json()["results"]}
    assert listed == {world[key].pk for key in SEES[name]}


@pytest.mark.parametrize("name", list(SEES))
def test_evidence_download(client_as, api_as, world, name):
    evidence = world["submitted_mca"].evidence.get()
    expected = 200 if "submitted_mca" in SEES[name] else 404
    response = client_as(name).get(reverse("measures:evidence", kwargs={"pk": evidence.pk}))
    assert response.status_code == expected
    if expected == 200:
        assert response["Content-Disposition"].startswith("attachment")
        assert b"".join(response.streaming_content).startswith(b"%PDF")
    assert api_as(name).get(f"/api/evidence-files/{evidence.pk}/download/").status_code == expected


@pytest.mark.parametrize(
    ("name", "status"),
    [
        ("office", 200),
        ("auditor", 403),
        ("admin", 403),
        ("liaison_mca", 403),
        ("liaison_mps", 404),
        ("reporter_gx", 404),
    ],
)
def test_only_the_office_accepts(api_as, client_as, world, name, status):
    entry = world["submitted_mca"]
    response = api_as(name).post(
        f"/api/progress-entries/{entry.pk}/accept/", {"version": entry.version}, format="json"
    )
    assert response.status_code == status, response.content
    page = client_as(name).post(
        reverse("measures:entry_review", kwargs={"pk": entry.pk, "decision": "return"}),
        {"version": entry.version + (status == 200), "comment": "x"},
    )
    assert page.status_code == {200: 302, 403: 403, 404: 404}[status]


@pytest.mark.parametrize(
    ("name", "key", "status"),
    [
        ("liaison_mps", "draft_mca", 404),  # another unit's draft does not exist for them
        ("office", "draft_mca", 404),
        ("liaison_mca", "shared_mps", 403),  # visible (same measure, submitted) but not theirs
        ("office", "submitted_mca", 403),
        ("liaison_mca", "submitted_mca", 409),  # theirs, but submitted: refused with the reason
        ("liaison_mca", "draft_mca", 200),
    ],
)
def test_who_edits_an_entry(api_as, world, name, key, status):
    entry = world[key]
    response = api_as(name).patch(
        f"/api/progress-entries/{entry.pk}/", {"narrative": "改动", "version": entry.version}, format="json"
    )
    assert response.status_code == status, response.content


@pytest.mark.parametrize(
    ("url", "allowed"),
    [
        ("measures:my_measures", {"liaison_mca", "liaison_mps"}),
        ("measures:review_inbox", {"office", "auditor", "admin"}),
        ("measures:timeliness", {"office", "auditor", "admin"}),
    ],
)
@pytest.mark.parametrize("name", list(SEES))
def test_progress_pages_by_role(client_as, plan, url, allowed, name):
    assert client_as(name).get(reverse(url)).status_code == (200 if name in allowed else 404)


@pytest.mark.parametrize(("name", "status"), [("liaison_mca", 200), ("liaison_mps", 404), ("office", 404)])
def test_entry_form_only_for_units_on_the_measure(client_as, plan, name, status):
    url = reverse("measures:entry_edit", kwargs={"plan": plan.code, "period": "2009Q3", "ref": "4.2.a"})
    assert client_as(name).get(url).status_code == status


@pytest.mark.parametrize(
    ("name", "status"), [("liaison_mca", 200), ("liaison_mps", 404), ("office", 200), ("reporter_gx", 404)]
)
def test_measure_period_page(client_as, world, plan, name, status):
    url = reverse("measures:measure_period", kwargs={"plan": plan.code, "period": "2009Q3", "ref": "4.2.a"})
    response = client_as(name).get(url)
    assert response.status_code == status
    if name == "office":  # the Office sees the unit listed, but not its draft
        body = response.content.decode()
        assert "民政部" in body and "本季度工作进展顺利" not in body


def test_history_is_readable_by_office_and_auditors_in_the_api_of_changes(world, persona):
    from core.models import ChangeRecord

    entry = world["submitted_mca"]
    for name in ("office", "auditor"):
        assert ChangeRecord.objects.restrict(persona(name)).for_object(entry).count() == 2
    assert not ChangeRecord.objects.restrict(persona("liaison_mps")).exists()


def test_a_write_rechecks_rights_inside_its_transaction(world, persona):
    """A liaison moved to another unit loses the draft it opened: the save is refused."""
    from agencies.models import Agency

    mca = persona("liaison_mca")
    draft = world["draft_mca"]
    mca.agency = Agency.objects.get(code="MOE")
    mca.save()
    with pytest.raises(Exception) as error:
        services.progress_entry_submit(actor=mca, entry_id=draft.pk, version=draft.version)
    assert type(error.value).__name__ == "Http404"
