"""The permission matrix of the reporting chain (issue 13): who sees and who decides each report.

Yunnan (530000) collects from its prefectures, and Kunming (530100) from its counties. The reports
of 2009Q4: 五华区 (530102, a county under Kunming) submitted; Kunming's own a draft; 曲靖市
(530300) submitted; 大理州 (532900) a draft. The rule (``QuarterlyReport.access_filter``): a
reporter sees its own division's reports and the non-draft ones of every division below it; the
Office and auditors see all; everyone else 404. The level directly above decides (the Office for a
province): a level further up sees a report but may not decide on it (403), and the Office may not
decide below the province. Each actor × each report × the page, the API list and the API detail.
"""

import pytest
from django.urls import reverse

from agencies.models import Division
from core.choices import Role
from core.models import Notification
from reports import services
from reports.models import CollectingDivision, QuarterlyReport, ReopenRequest
from tests.personas import api_for, make_agency, make_persona, make_user, signed_in
from tests.quarterly import file_report

pytestmark = pytest.mark.django_db

REPORTERS = {  # username → the division it reports for
    "yn": "530000",
    "km": "530100",
    "wuhua": "530102",
    "qj": "530300",
    "dl": "532900",
    "gx": "450000",
}
OTHERS = ["office", "auditor", "liaison_mca", "case_mca"]
# The reports: division → (its reporter, submitted?)
REPORTS = {
    "530102": ("wuhua", True),
    "530100": ("km", False),
    "530300": ("qj", True),
    "532900": ("dl", False),
}
# Who sees each report (everyone else gets 404).
SEES = {
    "530102": {"office", "auditor", "yn", "km", "wuhua"},
    "530100": {"office", "auditor", "km"},  # a draft: its own level only
    "530300": {"office", "auditor", "yn", "qj"},
    "532900": {"office", "auditor", "dl"},
}
# Who decides each submitted report: the level directly above.
DECIDES = {"530102": "km", "530300": "yn"}


@pytest.fixture
def chain():
    for code in ("530000", "530100"):
        CollectingDivision.objects.create(division=Division.objects.get(code=code))
    users = {}
    for name, code in REPORTERS.items():
        make_agency(f"ATO-{code}")
        users[name] = make_user(name, Role.PROVINCE, agency=f"ATO-{code}")
    for name in OTHERS:
        users[name] = make_persona(name)
    reports = {}
    for code, (reporter, submit) in REPORTS.items():
        reports[code] = file_report(users[reporter], "2009Q4", when="2010-01-05", submit=submit)
    return users, reports


def page(report: QuarterlyReport) -> str:
    return reverse("reports:report", kwargs={"division": report.division.code, "period": "2009Q4"})


@pytest.mark.parametrize("actor", [*REPORTERS, *OTHERS])
def test_each_actor_sees_exactly_the_reports_the_rule_gives(client, chain, actor):
    users, reports = chain
    signed_in(client, users[actor])
    api = api_for(users[actor])
    listed = api.get("/api/quarterly-reports/", {"period__year": 2009, "period__quarter": 4})
    expected = {code for code, seers in SEES.items() if actor in seers}
    listed_codes = (
        {row["division"] for row in listed.json()["results"]} if listed.status_code == 200 else set()
    )
    assert listed_codes & set(REPORTS) == expected
    for code, report in reports.items():
        visible = actor in SEES[code]
        assert client.get(page(report)).status_code == (200 if visible else 404), (actor, code)
        assert api.get(f"/api/quarterly-reports/{report.pk}/").status_code == (200 if visible else 404), (
            actor,
            code,
        )


@pytest.mark.parametrize("actor", ["office", "yn", "km", "wuhua", "qj", "gx", "auditor", "liaison_mca"])
@pytest.mark.parametrize("code", sorted(DECIDES))
def test_only_the_level_directly_above_decides(client, chain, actor, code):
    users, reports = chain
    report = reports[code]
    signed_in(client, users[actor])
    url = reverse(
        "reports:report_decide", kwargs={"division": code, "period": "2009Q4", "decision": "accept"}
    )
    response = client.post(url, {"version": report.version, "comment": ""})
    report.refresh_from_db()
    if actor == DECIDES[code]:
        assert response.status_code == 302 and report.state == "accepted"
    else:
        assert response.status_code == (403 if actor in SEES[code] else 404), (actor, code)
        assert report.state == "submitted"


def test_a_prefecture_reporter_has_no_part_in_the_provinces_reopen_requests(client, chain):
    users, _reports = chain
    signed_in(client, users["km"])
    response = client.post(
        reverse("reports:reopen_request", kwargs={"period": "2009Q3"}), {"reason": "请重新开放"}
    )
    assert response.status_code == 403
    assert not ReopenRequest.objects.exists()


def test_a_division_below_the_province_is_told_who_approved_and_returned_it(chain):
    users, reports = chain
    services.quarterly_report_return(
        actor=users["yn"],
        report_id=reports["530300"].pk,
        version=reports["530300"].version,
        comment="数据有误",
    )
    services.quarterly_report_accept(actor=users["km"], report_id=reports["530102"].pk, version=None)
    returned = Notification.objects.get(user=users["qj"])
    assert returned.title_zh == "云南省退回了您2009年第四季度的报告，请修改后重新报送"
    assert returned.body_en == "Comment of Yunnan Province: 数据有误"
    approved = Notification.objects.get(user=users["wuhua"])
    assert "approved by Kunming Shi" in approved.title_en and "昆明市" in approved.title_zh
