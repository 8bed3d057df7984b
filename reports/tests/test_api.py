"""The quarterly report API: the workflow, errors naming the field, conflicts, query counts."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.personas import reporters_elsewhere
from tests.quarterly import file_report, good_values

pytestmark = [pytest.mark.django_db, pytest.mark.portal_date("2009-10-05")]


def test_workflow_through_the_api(api_as):
    gx, office = api_as("reporter_gx"), api_as("office")
    bad = gx.post(
        "/api/quarterly-reports/", {"period": "2009Q3", "values": good_values(cases_solved=99)}, format="json"
    )
    assert bad.status_code == 400 and bad.json()["cases_solved"] == ["破案数不能大于立案数。"]
    created = gx.post(
        "/api/quarterly-reports/",
        {"period": "2009Q3", "values": good_values(), "narratives": {"3": "专项行动"}},
        format="json",
    )
    assert created.status_code == 201, created.content
    report = created.json()
    assert (
        report["province"] == "450000"
        and report["state"] == "draft"
        and report["narratives"] == {"3": "专项行动"}
    )
    url = f"/api/quarterly-reports/{report['id']}/"
    submitted = gx.post(url + "submit/", {"version": report["version"]}, format="json").json()
    assert submitted["state"] == "submitted"
    returned = office.post(
        url + "return/", {"version": submitted["version"], "comment": "请核实"}, format="json"
    )
    assert returned.json()["state"] == "returned"
    fixed = gx.patch(
        url, {"values": {"publicity_events": 10}, "version": returned.json()["version"]}, format="json"
    )
    assert fixed.status_code == 200 and fixed.json()["values"]["publicity_events"] == 10
    assert fixed.json()["values"]["cases_reported"] == 40  # values not sent are kept
    again = gx.post(url + "submit/", {"version": fixed.json()["version"]}, format="json")
    accepted = office.post(url + "accept/", {"version": again.json()["version"]}, format="json")
    assert accepted.json()["state"] == "accepted"
    reopen = office.post(
        url + "reopen/", {"version": accepted.json()["version"], "comment": ""}, format="json"
    )
    assert reopen.status_code == 400 and "comment" in reopen.json()


def test_stale_version_is_409(api_as, persona):
    report = file_report(persona("reporter_gx"), "2009Q3")
    api = api_as("reporter_gx")
    url = f"/api/quarterly-reports/{report.pk}/"
    assert (
        api.patch(
            url, {"values": {"publicity_events": 1}, "version": report.version}, format="json"
        ).status_code
        == 200
    )
    assert (
        api.patch(
            url, {"values": {"publicity_events": 2}, "version": report.version}, format="json"
        ).status_code
        == 409
    )


@pytest.mark.portal_date("2009-11-01")
def test_reopen_requests_and_baselines(api_as, persona):
    created = api_as("reporter_yn").post(
        "/api/reopen-requests/", {"period": "2009Q3", "reason": "人员调整"}, format="json"
    )
    assert created.status_code == 201, created.content
    assert api_as("reporter_gx").get(f"/api/reopen-requests/{created.json()['id']}/").status_code == 404
    granted = api_as("office").post(f"/api/reopen-requests/{created.json()['id']}/grant/", {}, format="json")
    assert granted.status_code == 200, granted.content
    assert granted.json()["state"] == "granted" and granted.json()["open_until"] == "2009-11-08"
    assert api_as("reporter_gx").get("/api/baselines/").status_code == 200


def test_api_list_query_count_does_not_grow(api_as, persona):
    file_report(persona("reporter_gx"), "2009Q3", submit=True)
    office = api_as("office")

    def count():
        with CaptureQueriesContext(connection) as queries:
            office.get("/api/quarterly-reports/?limit=500")
        return len(queries)

    small = count()
    for user in reporters_elsewhere(15):
        file_report(user, "2009Q3", submit=True)
        file_report(user, "2009Q2", when="2009-07-05", submit=True)
    assert count() == small <= 8
