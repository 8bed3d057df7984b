"""Who sees and does what with quarterly reports, in pages and API (404 unseen, 403 seen)."""

import pytest
from django.urls import reverse

from tests.quarterly import file_report

pytestmark = [pytest.mark.django_db, pytest.mark.portal_date("2009-10-05")]

PERSONAS = ["reporter_gx", "reporter_yn", "office", "auditor", "admin", "liaison_mca", "case_mps"]
SEES_GUANGXI = {"reporter_gx", "office", "auditor", "admin"}


@pytest.fixture
def guangxi(persona):
    return file_report(persona("reporter_gx"), "2009Q3", submit=True)


@pytest.mark.parametrize("name", PERSONAS)
def test_report_page_and_api(client_as, api_as, guangxi, name):
    expected = 200 if name in SEES_GUANGXI else 404
    page = reverse("reports:report", kwargs={"division": "450000", "period": "2009Q3"})
    assert client_as(name).get(page).status_code == expected
    assert api_as(name).get(f"/api/quarterly-reports/{guangxi.pk}/").status_code == expected
    listed = [r["id"] for r in api_as(name).get("/api/quarterly-reports/").json()["results"]]
    assert listed == ([guangxi.pk] if name in SEES_GUANGXI else [])


@pytest.mark.parametrize(
    ("url", "allowed"),
    [
        ("reports:my_reports", {"reporter_gx", "reporter_yn"}),
        ("reports:quarterly_inbox", {"office", "auditor", "admin"}),
        ("reports:completeness", {"office", "auditor", "admin", "reporter_gx", "reporter_yn"}),
        ("reports:indicators", {"office", "auditor", "admin", "reporter_gx", "reporter_yn"}),
        ("reports:baselines", {"office", "auditor", "admin"}),
    ],
)
@pytest.mark.parametrize("name", PERSONAS)
def test_pages_by_role(client_as, plan, url, allowed, name):
    assert client_as(name).get(reverse(url)).status_code == (200 if name in allowed else 404)


def test_a_province_sees_only_its_own_indicators(client_as, plan):
    response = client_as("reporter_gx").get(reverse("reports:indicators"))
    assert [p.code for p in response.context["data"].provinces] == ["450000"]
    assert 'class="national"' not in response.content.decode()


@pytest.mark.parametrize(
    ("name", "status"),
    [
        ("office", 200),
        ("auditor", 403),
        ("admin", 403),
        ("reporter_gx", 403),
        ("reporter_yn", 404),
        ("liaison_mca", 404),
    ],
)
def test_only_the_office_accepts(api_as, guangxi, name, status):
    response = api_as(name).post(
        f"/api/quarterly-reports/{guangxi.pk}/accept/", {"version": guangxi.version}, format="json"
    )
    assert response.status_code == status, response.content


@pytest.mark.parametrize(
    ("name", "status"),
    [("reporter_gx", 200), ("reporter_yn", 200), ("office", 404), ("auditor", 404), ("liaison_mca", 404)],
)
def test_only_the_province_fills_its_form(client_as, plan, name, status):
    assert (
        client_as(name).get(reverse("reports:report_edit", kwargs={"period": "2009Q3"})).status_code == status
    )


def test_the_edit_form_is_always_the_users_own_province(client_as, persona):
    file_report(persona("reporter_yn"), "2009Q3", values={"cases_reported": 7})
    page = client_as("reporter_gx").get(reverse("reports:report_edit", kwargs={"period": "2009Q3"}))
    assert page.context["report"] is None  # Yunnan's draft is not Guangxi's


def test_another_province_cannot_write_through_the_api(api_as, guangxi):
    response = api_as("reporter_yn").patch(
        f"/api/quarterly-reports/{guangxi.pk}/",
        {"values": {"cases_reported": 1}, "version": guangxi.version},
        format="json",
    )
    assert response.status_code == 404


@pytest.mark.parametrize(
    ("name", "count"),
    [("office", 1), ("auditor", 1), ("reporter_gx", 1), ("reporter_yn", 0), ("liaison_mca", 0)],
)
def test_baselines_in_the_api(api_as, persona, plan, name, count):
    from agencies.models import Province
    from reports.services.baselines import baseline_set

    baseline_set(actor=persona("office"), plan=plan, province=Province.objects.get(code="450000"),
                 cases_reported=10, cases_solved=5)  # fmt: skip
    assert len(api_as(name).get("/api/baselines/").json()["results"]) == count


def test_api_404_says_only_not_found(api_as):
    response = api_as("reporter_gx").get("/api/quarterly-reports/999999/")
    assert response.status_code == 404 and response.json() == {"detail": "未找到。"}
