"""The progress API: create, update, submit, return, accept, evidence; errors name the field."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core import clock
from tests.progress import (
    at,
    log_entry,
    measure,
    pdf,
)

pytestmark = [pytest.mark.django_db, pytest.mark.portal_date("2009-10-05")]


def test_the_whole_workflow_through_the_api(api_as):
    liaison, office = api_as("liaison_mca"), api_as("office")
    created = liaison.post(
        "/api/progress-entries/",
        {"measure": measure("4.2.a").pk, "period": "2009Q3", "status": "on_track", "narrative": "进展顺利",
         "figures": {"children_placed": 7}},
        format="json",
    )  # fmt: skip
    assert created.status_code == 201, created.content
    entry = created.json()
    assert entry["state"] == "draft" and entry["role"] == "R" and entry["figures"] == {"children_placed": 7}
    assert entry["unit"] == "MCA" and entry["measure_ref"] == "4.2.a" and entry["period"] == "2009Q3"

    url = f"/api/progress-entries/{entry['id']}/"
    uploaded = liaison.post(
        url + "evidence/", {"file": pdf("通知.pdf"), "version": entry["version"]}, format="multipart"
    )
    assert uploaded.status_code == 201, uploaded.content
    entry = uploaded.json()
    assert [f["original_name"] for f in entry["evidence"]] == ["通知.pdf"]

    submitted = liaison.post(url + "submit/", {"version": entry["version"]}, format="json")
    assert submitted.json()["state"] == "submitted"
    returned = office.post(
        url + "return/", {"version": submitted.json()["version"], "comment": "请补充"}, format="json"
    )
    assert returned.json()["state"] == "returned" and returned.json()["review_comment"] == "请补充"
    fixed = liaison.patch(url, {"narrative": "已补充", "version": returned.json()["version"]}, format="json")
    assert fixed.status_code == 200 and fixed.json()["state"] == "returned"
    assert fixed.json()["figures"] == {"children_placed": 7}  # a partial update keeps the figures
    resubmitted = liaison.post(url + "submit/", {"version": fixed.json()["version"]}, format="json")
    accepted = office.post(url + "accept/", {"version": resubmitted.json()["version"]}, format="json")
    assert accepted.status_code == 200 and accepted.json()["state"] == "accepted"


def test_errors_name_the_field(api_as, english):
    response = api_as("liaison_mca").post(
        "/api/progress-entries/",
        {"measure": measure("4.2.a").pk, "period": "2009Q3", "status": "completed", "narrative": "x",
         "figures": {"children_placed": -3}},
        format="json",
    )  # fmt: skip
    assert response.status_code == 400
    assert "figures" in response.json()


def test_completed_without_evidence_names_evidence(api_as):
    response = api_as("liaison_mca").post(
        "/api/progress-entries/",
        {"measure": measure("4.2.a").pk, "period": "2009Q3", "status": "completed", "narrative": "x"},
        format="json",
    )
    assert response.status_code == 400 and "evidence" in response.json()


def test_unknown_period_and_measure_of_another_unit(api_as):
    api = api_as("liaison_mca")
    bad = api.post(
        "/api/progress-entries/", {"measure": measure("4.2.a").pk, "period": "1999Q1"}, format="json"
    )
    assert bad.status_code == 400 and "period" in bad.json()
    other = api.post(
        "/api/progress-entries/", {"measure": measure("3.1.a").pk, "period": "2009Q3"}, format="json"
    )
    assert other.status_code == 404


def test_stale_version_is_409_and_nothing_is_overwritten(api_as, persona):
    entry = log_entry(persona("liaison_mca"), "4.2.a", "2009Q3", narrative="原文")
    api = api_as("liaison_mca")
    first = api.patch(
        f"/api/progress-entries/{entry.pk}/", {"narrative": "甲", "version": entry.version}, format="json"
    )
    assert first.status_code == 200
    second = api.patch(
        f"/api/progress-entries/{entry.pk}/", {"narrative": "乙", "version": entry.version}, format="json"
    )
    assert second.status_code == 409
    assert api.get(f"/api/progress-entries/{entry.pk}/").json()["narrative"] == "甲"


def test_update_without_version_is_refused(api_as, persona):
    entry = log_entry(persona("liaison_mca"), "4.2.a", "2009Q3")
    response = api_as("liaison_mca").patch(
        f"/api/progress-entries/{entry.pk}/", {"narrative": "x"}, format="json"
    )
    assert response.status_code == 400 and "version" in response.json()


def test_invalid_transition_is_409_with_the_reason(api_as, persona):
    entry = log_entry(persona("liaison_mca"), "4.2.a", "2009Q3", submit=True)
    response = api_as("liaison_mca").post(
        f"/api/progress-entries/{entry.pk}/submit/", {"version": entry.version}, format="json"
    )
    assert response.status_code == 409 and "已提交" in response.json()["detail"]


def test_periods(api_as):
    periods = api_as("reporter_gx").get("/api/periods/?year=2009").json()["results"]
    assert [p["code"] for p in periods] == ["2009Q1", "2009Q2", "2009Q3", "2009Q4"]
    assert periods[3]["ends_on"] == "2009-12-31" and periods[3]["deadline"] == "2010-01-15"


def test_api_list_query_count_does_not_grow(api_as, persona):
    mca, mps = persona("liaison_mca"), persona("liaison_mps")
    office = api_as("office")

    def count():
        with CaptureQueriesContext(connection) as queries:
            response = office.get("/api/progress-entries/?limit=500")
        return len(queries), response.json()["count"]

    log_entry(mca, "4.2.a", "2009Q2", submit=True, new_files=[pdf()], figures={"children_placed": 3})
    small = count()
    with clock.travel(at("2009-10-05")):
        for ref in ["4.2.c", "4.2.d", "4.3", "4.1.b", "2.1.b"]:
            for quarter in ("2009Q1", "2009Q2", "2009Q3"):
                log_entry(mca, ref, quarter, submit=True, new_files=[pdf()])
        for ref in ["3.1.a", "3.2.b", "4.4"]:
            log_entry(mps, ref, "2009Q3", submit=True, figures={})
    large = count()
    assert large[1] > 10 * small[1]
    assert large[0] == small[0] <= 8


def test_the_same_evidence_file_twice_is_refused_by_the_api(api_as, persona, settings):
    entry = log_entry(persona("liaison_mca"), "4.2.a", "2009Q3", new_files=[pdf("通知.pdf")])
    api = api_as("liaison_mca")
    api.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = api.post(
        f"/api/progress-entries/{entry.pk}/evidence/",
        {"file": pdf("通知.pdf"), "version": entry.version},
        format="multipart",
    )
    assert response.status_code == 400
    assert "“通知.pdf” is the same file as “通知.pdf”" in response.json()["evidence"][0]
    assert entry.evidence.count() == 1
