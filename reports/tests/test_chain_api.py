"""The API of the level that reviews the reports below it (issue 13 points 1, 2 and 6): the
divisions below for a quarter, bulk approval (all or none; 409 when stale; 400 naming the field),
the "nothing to report" mark and the lock exception; 404 for what the caller may not see."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from agencies.models import Division
from reports.models import LockException, NothingToReport, QuarterlyReport
from reports.services.chain import nothing_to_report_mark
from tests.chain import (
    BAOSHAN,
    KUNMING,
    QUJING,
    YUXI,
    Q,
    approve,
    collect,
    fill_below,
    prefectures,
    reporter_of,
    submitted,
)
from tests.fixtures import in_english
from tests.progress import period

pytestmark = [pytest.mark.django_db, pytest.mark.portal_date("2009-10-05")]

BELOW = "/api/quarterly-below/"


@pytest.fixture
def yn(persona):
    collect("530000")
    return persona("reporter_yn")


def api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return in_english(client)


def test_the_list_gives_every_division_below_with_its_state(yn):
    kunming = submitted(KUNMING)
    qujing = approve(yn, submitted(QUJING))
    nothing_to_report_mark(actor=yn, division_id=Division.objects.get(code=BAOSHAN).pk, period=period(Q),
                           reason="本季度无案件")  # fmt: skip
    response = api(yn).get(BELOW, {"period": Q})
    assert response.status_code == 200, response.content
    rows = {row["division"]: row for row in response.json()}
    assert len(rows) == 16 and response["X-Total-Count"] == "16"
    assert rows[KUNMING]["report"]["state"] == "submitted"
    assert rows[KUNMING]["report"]["version"] == kunming.version
    assert rows[KUNMING]["timeliness"] == "on_time"
    assert rows[QUJING]["report"]["state_label"] == "Approved"
    assert rows[QUJING]["report"]["reviewed_by"] == str(yn) and rows[QUJING]["report"]["id"] == qujing.pk
    assert rows[QUJING]["changed_since_approval"] == 0
    assert rows[YUXI]["report"] is None and rows[YUXI]["changed_since_approval"] is None
    assert rows[BAOSHAN]["nothing_to_report"]["reason"] == "本季度无案件"
    assert rows[BAOSHAN]["nothing_to_report"]["marked_by"] == str(yn)
    assert api(yn).get(BELOW).status_code == 400  # the period is needed
    response = api(yn).get(BELOW, {"period": "2031Q1"})
    assert response.status_code == 400 and "period" in response.json()


def test_bulk_approval_is_all_or_none(yn):
    kunming, qujing = submitted(KUNMING), submitted(QUJING)
    stale = {"reports": [{"id": kunming.pk, "version": kunming.version},
                         {"id": qujing.pk, "version": qujing.version + 1}]}  # fmt: skip
    response = api(yn).post(f"{BELOW}approve/", stale, format="json")
    assert response.status_code == 409
    assert str(qujing.division) in response.json()["detail"]
    assert set(QuarterlyReport.objects.values_list("state", flat=True)) == {"submitted"}
    fresh = {"reports": [{"id": kunming.pk, "version": kunming.version},
                         {"id": qujing.pk, "version": qujing.version}], "comment": "同意"}  # fmt: skip
    response = api(yn).post(f"{BELOW}approve/", fresh, format="json")
    assert response.status_code == 200, response.content
    assert {r["state"] for r in response.json()["approved"]} == {"accepted"}
    assert set(QuarterlyReport.objects.values_list("state", flat=True)) == {"accepted"}
    again = api(yn).post(f"{BELOW}approve/", fresh, format="json")
    assert again.status_code == 409  # stale now, and approved already


def test_bulk_approval_names_the_field_it_refuses(yn):
    kunming = submitted(KUNMING)
    for body in ({}, {"reports": []}, {"reports": [{"id": kunming.pk}]},
                 {"reports": [{"id": kunming.pk, "version": kunming.version}] * 2}):  # fmt: skip
        response = api(yn).post(f"{BELOW}approve/", body, format="json")
        assert response.status_code == 400 and "reports" in response.json(), body
    assert QuarterlyReport.objects.get(pk=kunming.pk).state == "submitted"


def test_nothing_to_report_mark_and_clear(yn):
    response = api(yn).post(f"{BELOW}nothing/", {"period": Q, "division": YUXI, "reason": " "}, format="json")
    assert response.status_code == 400 and "reason" in response.json()
    assert not NothingToReport.objects.exists()
    response = api(yn).post(
        f"{BELOW}nothing/", {"period": Q, "division": YUXI, "reason": "无"}, format="json"
    )
    assert response.status_code == 201 and response.json()["division"] == YUXI
    response = api(yn).post(
        f"{BELOW}nothing/", {"period": Q, "division": YUXI, "reason": "无"}, format="json"
    )
    assert response.status_code == 409  # marked already
    response = api(yn).post(f"{BELOW}nothing/", {"period": Q, "division": "53x"}, format="json")
    assert response.status_code == 400 and {"division", "reason"} <= set(response.json())
    response = api(yn).post(f"{BELOW}nothing/clear/", {"period": Q, "division": YUXI}, format="json")
    assert response.status_code == 204 and not NothingToReport.objects.exists()
    response = api(yn).post(f"{BELOW}nothing/clear/", {"period": Q, "division": YUXI}, format="json")
    assert response.status_code == 404


def test_lock_exception_refuses_a_date_in_the_past(yn):
    body = {"period": Q, "division": YUXI, "open_until": "2009-10-01", "reason": "补报"}
    response = api(yn).post(f"{BELOW}exception/", body, format="json")
    assert response.status_code == 400 and "open_until" in response.json()
    response = api(yn).post(f"{BELOW}exception/", {**body, "open_until": "2009-11-30"}, format="json")
    assert response.status_code == 201 and response.json()["open_until"] == "2009-11-30"
    assert LockException.objects.get().granted_by == yn


def test_404_for_what_the_caller_may_not_see(yn, persona):
    collect(KUNMING)
    collect(QUJING)
    county = Division.objects.current().filter(parent__code=KUNMING).order_by("code").first()
    county_report = submitted(county.code)
    rows = api(reporter_of(KUNMING)).get(BELOW, {"period": Q}).json()
    assert county.code in {row["division"] for row in rows}
    qujing = api(reporter_of(QUJING))  # another prefecture
    rows = qujing.get(BELOW, {"period": Q}).json()
    assert rows and county.code not in {row["division"] for row in rows}
    assert all(row["division"].startswith("5303") for row in rows)
    body = {"period": Q, "division": county.code, "reason": "无", "open_until": "2009-11-30"}
    for path in ("nothing/", "nothing/clear/", "exception/"):
        assert qujing.post(f"{BELOW}{path}", body, format="json").status_code == 404, path
    approval = {"reports": [{"id": county_report.pk, "version": county_report.version}]}
    assert qujing.post(f"{BELOW}approve/", approval, format="json").status_code == 404
    assert qujing.get(f"/api/quarterly-reports/{county_report.pk}/").status_code == 404
    assert QuarterlyReport.objects.get(pk=county_report.pk).state == "submitted"
    for user in (reporter_of(YUXI), persona("liaison_mca"), persona("office")):  # none collects
        assert api(user).get(BELOW, {"period": Q}).status_code == 404
        assert api(user).post(f"{BELOW}approve/", approval, format="json").status_code == 404


def test_the_list_costs_the_same_queries_at_any_size(yn):
    children = prefectures()
    fill_below(yn, children[:4])
    client = api(yn)
    client.get(BELOW, {"period": Q})

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(BELOW, {"period": Q}).status_code == 200
        return len(queries)

    small = count()
    fill_below(yn, children[4:13])
    assert count() == small <= 12


def test_malformed_requests_are_400_naming_the_field(yn):
    client = api(yn)
    for path, body, field in (
        ("approve/", {"reports": "x"}, "reports"),
        ("approve/", {"reports": [{"id": 2**70, "version": 1}]}, "reports"),
        ("approve/", {"reports": [{"id": 1, "version": 1}], "comment": ["x"]}, "comment"),
        ("nothing/", {"period": 2009, "division": YUXI, "reason": "无"}, "period"),
        ("nothing/", {"period": "x" * 500, "division": YUXI, "reason": "无"}, "period"),
        ("nothing/", {"period": Q, "division": [YUXI], "reason": "无"}, "division"),
        ("exception/", {"period": Q, "division": YUXI, "open_until": "soon", "reason": "无"}, "open_until"),
    ):
        response = client.post(f"{BELOW}{path}", body, format="json")
        assert response.status_code == 400 and field in response.json(), (path, body, response.content)
    response = client.get(BELOW, {"period": Q, "page": "-3"})  # a page is a whole number from 1
    assert response.status_code == 400 and "page" in response.json()
    assert not NothingToReport.objects.exists() and not LockException.objects.exists()
