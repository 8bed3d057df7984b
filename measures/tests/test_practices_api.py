"""The good practices' API: the same rules as the pages (404 for what a caller may not see, 403 where
they see but may not act, 400 naming the field, 409 on a stale version), the list's search and
filters, the files, and the list's query counts at two sizes."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.choices import ReviewState
from measures.models import GoodPractice, PracticeAttachment
from tests.practices import area, measures, propose, published
from tests.progress import pdf

pytestmark = pytest.mark.django_db

URL = "/api/good-practices/"


@pytest.fixture
def world(persona, office):
    mca, mps, yn = persona("liaison_mca"), persona("liaison_mps"), persona("reporter_yn")
    return {
        "draft_mca": propose(mca, title_zh="民政部的草稿", new_files=[pdf("draft.pdf")]),
        "submitted_mca": propose(mca, title_zh="流浪儿童救助保护", submit=True),
        "published_yn": published(yn, office, title_zh="边境地区“反拐宣传进村寨”", refs=("2.1",)),
        "published_mps": published(
            mps, office, title_zh="打拐DNA数据库", title_en="The Anti-Trafficking DNA Database", seq=3
        ),
    }


SEES = {
    "liaison_mca": {"draft_mca", "submitted_mca", "published_yn", "published_mps"},
    "liaison_mps": {"published_yn", "published_mps"},
    "office": {"submitted_mca", "published_yn", "published_mps"},
    "auditor": {"submitted_mca", "published_yn", "published_mps"},
    "case_mps": {"published_yn", "published_mps"},
    "reporter_gx": {"published_yn", "published_mps"},
}


@pytest.mark.parametrize("name", list(SEES))
def test_who_sees_which_practice(api_as, world, name):
    api = api_as(name)
    for key, practice in world.items():
        expected = 200 if key in SEES[name] else 404
        assert api.get(f"{URL}{practice.pk}/").status_code == expected, key
    listed = {p["id"] for p in api.get(URL).json()["results"]}
    assert listed == {world[key].pk for key in SEES[name]}
    draft_file = world["draft_mca"].attachments.get()
    expected = 200 if "draft_mca" in SEES[name] else 404
    assert api.get(f"/api/practice-attachments/{draft_file.pk}/download/").status_code == expected


def test_anonymous_callers_read_nothing(api_as, world):
    assert api_as(None).get(URL).status_code in (401, 403)


@pytest.mark.parametrize(
    ("name", "status"),
    [("office", 200), ("liaison_mca", 403), ("auditor", 403), ("liaison_mps", 404), ("case_mps", 404)],
)
def test_only_the_office_publishes(api_as, world, name, status):
    practice = world["submitted_mca"]
    response = api_as(name).post(f"{URL}{practice.pk}/accept/", {"version": practice.version}, format="json")
    assert response.status_code == status, response.content
    if status == 200:
        assert response.json()["state"] == ReviewState.ACCEPTED and response.json()["published_at"]


def test_the_office_takes_a_published_one_out_with_a_reason(api_as, world):
    practice = world["published_yn"]
    api = api_as("office")
    refused = api.post(f"{URL}{practice.pk}/reopen/", {"version": practice.version}, format="json")
    assert refused.status_code == 400 and "comment" in refused.json()
    stale = api.post(
        f"{URL}{practice.pk}/reopen/", {"version": practice.version - 1, "comment": "x"}, format="json"
    )
    assert stale.status_code == 409
    done = api.post(
        f"{URL}{practice.pk}/reopen/", {"version": practice.version, "comment": "核实数字"}, format="json"
    )
    assert (
        done.status_code == 200 and done.json()["state"] == "returned" and done.json()["published_at"] is None
    )
    assert practice.pk not in {p["id"] for p in api_as("case_mps").get(URL).json()["results"]}


def test_an_owner_creates_changes_attaches_and_submits(api_as, persona):
    api = api_as("reporter_yn")
    m = measures("2.1")[0]
    created = api.post(
        URL, {"title_zh": "反拐宣传进村寨", "area": area(2).pk, "measures": [m.pk]}, format="json"
    )
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["province"] == "530000" and body["practice_province"] == "530000"
    assert body["measure_labels"] == ["2.(1)"] and body["state"] == "draft"
    pk, version = body["id"], body["version"]
    changed = api.patch(f"{URL}{pk}/", {"title_en": "Villages", "version": version}, format="json")
    assert changed.status_code == 200 and changed.json()["title_zh"] == "反拐宣传进村寨"
    version = changed.json()["version"]
    attached = api.post(
        f"{URL}{pk}/attachments/", {"file": pdf("a.pdf"), "version": version}, format="multipart"
    )
    assert attached.status_code == 201 and [f["original_name"] for f in attached.json()["attachments"]] == [
        "a.pdf"
    ]
    version = attached.json()["version"]
    no_summary = api.post(f"{URL}{pk}/submit/", {"version": version}, format="json")
    assert no_summary.status_code == 400 and list(no_summary.json()) == ["summary_zh"]
    summary = api.patch(
        f"{URL}{pk}/", {"summary_en": "Talks in villages.", "version": version}, format="json"
    )
    submitted = api.post(f"{URL}{pk}/submit/", {"version": summary.json()["version"]}, format="json")
    assert submitted.status_code == 200 and submitted.json()["state"] == "submitted"
    again = api.patch(f"{URL}{pk}/", {"title_en": "x", "version": submitted.json()["version"]}, format="json")
    assert again.status_code == 409  # submitted: no longer the owner's to change


@pytest.mark.parametrize(("name", "status"), [("liaison_mps", 404), ("liaison_mca", 403), ("office", 403)])
def test_who_may_not_change_a_practice(api_as, world, name, status):
    key = "draft_mca" if name == "liaison_mps" else "published_yn"
    practice = world[key]
    response = api_as(name).patch(
        f"{URL}{practice.pk}/", {"title_zh": "改", "version": practice.version}, format="json"
    )
    assert response.status_code == status


def test_bad_input_names_the_field_and_saves_nothing(api_as, persona):
    api = api_as("liaison_mca")
    response = api.post(
        URL,
        {"title_zh": "", "title_en": "", "area": area(2).pk, "measures": [measures("3.1")[0].pk]},
        format="json",
    )
    assert response.status_code == 400 and {"title_zh", "measures"} <= set(response.json())
    assert api.post(URL, {"title_zh": "x" * 201, "area": area(2).pk}, format="json").status_code == 400
    unknown = api.post(
        URL, {"title_zh": "x", "area": area(2).pk, "practice_province": "999999"}, format="json"
    )
    assert unknown.status_code == 400 and "practice_province" in unknown.json()
    assert GoodPractice.objects.count() == 0


def test_a_bad_file_is_refused_and_nothing_attached(api_as, world):
    practice = world["draft_mca"]
    fake = SimpleUploadedFile("fake.pdf", b"MZ not a pdf", "application/pdf")
    response = api_as("liaison_mca").post(
        f"{URL}{practice.pk}/attachments/", {"file": fake, "version": practice.version}, format="multipart"
    )
    assert response.status_code == 400 and "fake.pdf" in response.json()["attachments"][0]
    assert PracticeAttachment.objects.filter(practice=practice).count() == 1


@pytest.mark.parametrize("name", ["office", "case_mps", "auditor"])
def test_a_role_that_proposes_nothing_is_refused(api_as, plan, name):
    response = api_as(name).post(URL, {"title_zh": "做法", "area": area(2).pk}, format="json")
    assert response.status_code == 403


def test_the_list_searches_and_filters(api_as, world):
    api = api_as("case_mps")

    def ids(query: str):
        response = api.get(f"{URL}?{query}")
        assert response.status_code == 200, response.content
        return [p["id"] for p in response.json()["results"]]

    yn, mps = world["published_yn"].pk, world["published_mps"].pk
    assert ids("") == [mps, yn]  # newest first
    assert ids("q=宣传进") == [yn]
    assert ids("q=anti-trafficking%20dna") == [mps]
    assert ids("q=拐&area=3&plan=2008-2012") == [mps]
    assert ids("measure=2.1&province=530000") == [yn]
    assert ids("unit=MPS") == [mps]
    assert ids("unit=MPS&province=530000") == []
    too_long = api.get(f"{URL}?q={'拐' * 101}")
    assert too_long.status_code == 400 and "q" in too_long.json()
    assert api.get(f"{URL}?area=x").status_code == 400


def test_the_list_costs_the_same_at_two_sizes(api_as, persona, office):
    mca, yn = persona("liaison_mca"), persona("reporter_yn")
    published(mca, office, title_zh="做法", seq=4, refs=("4.2",), new_files=[pdf("a.pdf")])
    api = api_as("liaison_mca")

    def count():
        api.get(URL)
        with CaptureQueriesContext(connection) as queries:
            assert api.get(URL).status_code == 200
        return len(queries)

    small = count()
    for n in range(5):
        published(
            yn if n % 2 else mca,
            office,
            title_zh=f"做法{n}",
            seq=4,
            refs=("4.2", "4.4"),
            new_files=[pdf(f"{n}.pdf")],
        )
    propose(mca, title_zh="草稿")
    assert count() == small <= 8
