"""The demo's reporting chain (issue 13, point 7): Yunnan collects from its 16 prefectures, and on the
demo's day (2010-01-10) its 2009 Q4 tells the story the issue's trial walks through.

The demo is made as ``make run`` makes it (``create_demo_users``, then ``create_demo_quarterly``).
"""

import io
import re
from collections import Counter

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from agencies.choices import AgencyKind
from agencies.models import Division, User
from core import clock
from core.choices import Role
from core.workflow import WorkflowError
from reports import services
from reports.demo import (
    PREFECTURES,
    Q4_APPROVED,
    Q4_MISSING,
    Q4_RETURN_COMMENT,
    Q4_RETURNED,
    Q4_SUBMITTED,
    REOPEN_REASON,
    YUNNAN_OWN_Q4,
)
from reports.models import CollectingDivision, QuarterlyReport, QuarterlyTotal, ReopenRequest
from reports.models.chain import reporting_children
from reports.services.chain import below_missing, nothing_to_report_mark
from reports.services.quarterly import quarterly_reports_approve
from tests.progress import at, period

pytestmark = [pytest.mark.django_db, pytest.mark.portal_date("2010-01-10")]


def make_demo() -> str:
    """The demo's users and quarterly reports; what ``create_demo_users`` printed."""
    out = io.StringIO()
    call_command("create_demo_users", force=True, stdout=out)
    call_command("create_demo_quarterly", force=True, stdout=io.StringIO())
    return out.getvalue()


def states(code: str) -> Counter:
    """The states of the reports of Yunnan's prefectures for a quarter."""
    reports = QuarterlyReport.objects.filter(period=period(code), province__code="530000")
    return Counter(reports.exclude(division__code="530000").values_list("state", flat=True))


def totals(report) -> dict[str, int]:
    return dict(QuarterlyTotal.objects.filter(report=report).values_list("figure__code", "value"))


def test_yunnan_collects_and_its_2009q4_is_the_trial():
    printed = make_demo()
    yunnan = Division.objects.get(code="530000")
    assert CollectingDivision.objects.filter(division=yunnan).exists()
    children = reporting_children(yunnan)
    assert [d.code for d in children] == sorted(PREFECTURES)
    # One reporter per prefecture, at its anti-trafficking office; two are printed with the others.
    reporters = User.objects.filter(role=Role.PROVINCE, agency__division__parent=yunnan)
    assert sorted(reporters.values_list("agency__code", flat=True)) == [
        f"ATO-{c}" for c in sorted(PREFECTURES)
    ]
    assert set(reporters.values_list("agency__kind", flat=True)) == {AgencyKind.ANTI_TRAFFICKING_OFFICE}
    assert "prefecture.km" in printed and "昆明市反拐办" in printed
    assert "prefecture.dh" in printed and "德宏傣族景颇族自治州反拐办" in printed
    assert "prefecture.qj  " not in printed  # the others are named on one line, not listed
    province_yn = User.objects.get(username="province.yn")
    assert province_yn.agency.division == yunnan  # the province's reporter stays the province's

    # 2009 Q4: ten approved by the province, four waiting, Dehong's returned with a comment, Nujiang
    # has sent nothing; Yunnan's own report is a draft with only the provincial level's figures.
    q4 = period("2009Q4")
    assert states("2009Q4") == {"accepted": 10, "submitted": 4, "returned": 1}
    q4_reports = QuarterlyReport.objects.filter(period=q4, division__parent=yunnan)
    assert sorted(q4_reports.filter(state="accepted").values_list("division__code", flat=True)) == sorted(
        Q4_APPROVED
    )
    assert sorted(q4_reports.filter(state="submitted").values_list("division__code", flat=True)) == sorted(
        Q4_SUBMITTED
    )
    returned = q4_reports.get(state="returned")
    assert returned.division.code == Q4_RETURNED and returned.review_comment == Q4_RETURN_COMMENT
    assert returned.reviewed_by == province_yn
    assert not q4_reports.filter(division__code=Q4_MISSING).exists()
    assert sorted(d.code for d in below_missing(children, q4)) == sorted(
        [*Q4_SUBMITTED, Q4_RETURNED, Q4_MISSING]
    )
    assert all(r.reviewed_by == province_yn for r in q4_reports.filter(state="accepted"))
    assert not any(r.is_late for r in q4_reports)  # before the deadline, 2010-01-15
    own = QuarterlyReport.objects.get(division=yunnan, period=q4)
    assert own.state == "draft"
    assert dict(own.values.values_list("figure__code", "value")) == YUNNAN_OWN_Q4
    # Plausible figures below: within the rules, and small beside a province's.
    for report in QuarterlyReport.objects.filter(division__parent=yunnan).exclude(state="draft"):
        figures = dict(report.values.values_list("figure__code", "value"))
        assert figures["cases_solved"] <= figures["cases_reported"] <= 16
        assert figures["persons_assisted"] <= figures["women_rescued"] + figures["children_rescued"]
        assert totals(report) == figures  # a prefecture that reports alone: its totals are its own

    # 2009 Q3: every prefecture approved; the province missed its own and asks to reopen it.
    assert states("2009Q3") == {"accepted": 16}
    assert not QuarterlyReport.objects.filter(division=yunnan, period=period("2009Q3")).exists()
    request = ReopenRequest.objects.get(province__code="530000", period=period("2009Q3"))
    assert request.state == "pending" and request.reason == REOPEN_REASON
    # Until then Yunnan reported alone; the rest of the demo is as it was.
    assert states("2009Q2") == {} and states("2008Q1") == {}
    assert QuarterlyReport.objects.filter(division=yunnan, period=period("2009Q2")).exists()
    assert not QuarterlyReport.objects.filter(province__code="450000", period=q4).exists()
    assert QuarterlyReport.objects.get(province__code="440000", period=period("2009Q2")).state != "accepted"

    # As the trial's new user sees it: province.yn's page of the prefectures for 2009 Q4, and
    # Dehong's reporter finds the returned report with the province's comment.
    client = Client()
    client.force_login(province_yn)
    page = client.get(reverse("reports:below", kwargs={"period": "2009Q4"})).content.decode()
    assert Counter(re.findall(r'<tr id="row-\d{6}" data-state="(\w+)"', page)) == {
        "accepted": 10, "submitted": 4, "returned": 1, "none": 1,
    }  # fmt: skip
    assert Q4_RETURN_COMMENT in page and page.count('name="report"') == 4  # the four to decide on
    client.force_login(User.objects.get(username="prefecture.dh"))
    mine = client.get(reverse("reports:my_reports")).content.decode()
    assert Q4_RETURN_COMMENT in mine

    # Idempotent: running the demo again changes nothing.
    before = (QuarterlyReport.objects.count(), User.objects.count(), QuarterlyTotal.objects.count())
    out = io.StringIO()
    call_command("create_demo_quarterly", force=True, stdout=out)
    make_demo()
    assert "already present" in out.getvalue()
    assert (QuarterlyReport.objects.count(), User.objects.count(), QuarterlyTotal.objects.count()) == before


def test_the_trial_as_province_yn_then_the_office():
    make_demo()
    yunnan = Division.objects.get(code="530000")
    q4 = period("2009Q4")
    province_yn, office = User.objects.get(username="province.yn"), User.objects.get(username="office")
    below = {r.division.code: r for r in QuarterlyReport.objects.filter(period=q4, division__parent=yunnan)}
    own = QuarterlyReport.objects.get(division=yunnan, period=q4)
    with clock.travel(at("2010-01-10", 9)):
        # Not yet: the refusal names what is missing below.
        with pytest.raises(WorkflowError, match="怒江"):
            services.quarterly_report_save(
                actor=province_yn, period=q4, values={}, narratives={}, version=own.version, submit=True,
                report_id=own.pk,
            )  # fmt: skip
        # Return one of the four waiting, with a comment; approve the other three in one step.
        back, *rest = Q4_SUBMITTED
        services.quarterly_report_return(
            actor=province_yn, report_id=below[back].pk, version=below[back].version,
            comment="请补充各县（区）解救人数明细后重新报送。",
        )  # fmt: skip
        approved = quarterly_reports_approve(
            actor=province_yn, versions={below[c].pk: below[c].version for c in rest}
        )
        assert {r.state for r in approved} == {"accepted"} and len(approved) == 3
        # The two returned prefectures correct theirs and submit again; the province approves them.
        again = {}
        for code in (back, Q4_RETURNED):
            report = below[code]
            report.refresh_from_db()
            reporter = User.objects.get(agency__code=f"ATO-{code}")
            again[code] = services.quarterly_report_save(
                actor=reporter, period=q4, values={"cross_border_cases": 0}, narratives={},
                version=report.version, submit=True, report_id=report.pk,
            )  # fmt: skip
        quarterly_reports_approve(actor=province_yn, versions={r.pk: r.version for r in again.values()})
        # Nujiang has sent nothing: the province marks it, then submits.
        nothing_to_report_mark(
            actor=province_yn, division_id=Division.objects.get(code=Q4_MISSING).pk, period=q4,
            reason="怒江州本季度未发生拐卖案件，州反拐办已书面说明。",
        )  # fmt: skip
        own.refresh_from_db()
        submitted = services.quarterly_report_save(
            actor=province_yn, period=q4, values={}, narratives={}, version=own.version, submit=True,
            report_id=own.pk,
        )  # fmt: skip
    assert submitted.state == "submitted" and not submitted.is_late
    # Yunnan's totals: its own figures plus the fifteen approved prefectures', figure by figure.
    approved_below = QuarterlyReport.objects.filter(period=q4, division__parent=yunnan, state="accepted")
    assert approved_below.count() == 15
    expected = Counter(YUNNAN_OWN_Q4)
    for report in approved_below:
        expected.update(totals(report))
    yunnan_totals = totals(submitted)
    assert yunnan_totals == {code: expected.get(code, 0) for code in yunnan_totals}
    assert yunnan_totals["cases_solved"] <= yunnan_totals["cases_reported"]
    assert yunnan_totals["cases_reported"] > YUNNAN_OWN_Q4["cases_reported"]
    # The national figures count Yunnan once the Office accepts it.
    counted = QuarterlyTotal.objects.counted().filter(report__period=q4, figure__code="cases_reported")
    assert not counted.filter(report=submitted).exists()
    with clock.travel(at("2010-01-11")):
        services.quarterly_report_accept(actor=office, report_id=submitted.pk, version=submitted.version)
    assert counted.get(report=submitted).value == yunnan_totals["cases_reported"]


def test_yunnans_reopened_2009q3_is_the_sum_of_its_prefectures():
    make_demo()
    q3 = period("2009Q3")
    province_yn, office = User.objects.get(username="province.yn"), User.objects.get(username="office")
    request = ReopenRequest.objects.get(province__code="530000", period=q3)
    with clock.travel(at("2010-01-10", 9)):
        services.reopen_request_decide(actor=office, request_id=request.pk, grant=True)
        report = services.quarterly_report_save(
            actor=province_yn, period=q3, values={}, narratives={}, version=None, submit=True
        )
    assert report.state == "submitted" and report.is_late
    expected = Counter()
    for below in QuarterlyReport.objects.filter(period=q3, division__parent__code="530000"):
        expected.update(totals(below))
    assert totals(report) == dict(expected)
