"""The reporting chain's bounds (what an attacker's and a new user's probe found): a level collects
from a first quarter on and reported alone before it; marks, exceptions and comments are bounded;
a returned report is decided on, never marked away; a page of one quarter approves only its own."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404
from django.urls import reverse

from agencies.models import Division
from core import clock
from core.workflow import MAX_COMMENT, WorkflowError
from reports.choices import ReportVerdict
from reports.models import CollectingDivision, NothingToReport, QuarterlyReport
from reports.selectors.completeness import level_completeness
from reports.services.chain import MAX_TEXT, lock_exception_grant, nothing_to_report_mark
from reports.services.quarterly import (
    MAX_APPROVED_AT_ONCE,
    quarterly_report_return,
    quarterly_reports_approve,
)
from tests.chain import reporter_of
from tests.personas import api_for, make_persona, signed_in
from tests.progress import at, period
from tests.quarterly import file_report

pytestmark = pytest.mark.django_db


@pytest.fixture
def yunnan_from_q4(plan):
    """Yunnan collects from its prefectures from 2009 Q4 on; before, it reported alone."""
    CollectingDivision.objects.create(division=Division.objects.get(code="530000"), since=period("2009Q4"))
    return make_persona("reporter_yn")


def test_before_its_first_quarter_a_level_reports_alone(yunnan_from_q4, english):
    yn = yunnan_from_q4
    alone = file_report(yn, "2009Q3", when="2009-10-05", submit=True)  # no prefecture below yet
    assert alone.state == "submitted"
    with pytest.raises(WorkflowError, match="Kunming"):  # from 2009 Q4 it collects
        file_report(yn, "2009Q4", when="2010-01-05", submit=True)
    km = reporter_of("530100")
    with pytest.raises(WorkflowError, match="no report to make"):  # Kunming had none to make in Q3
        file_report(km, "2009Q3", when="2009-10-05")
    assert file_report(km, "2009Q4", when="2010-01-05", submit=True).state == "submitted"


def test_completeness_says_the_quarters_before_were_not_collected(yunnan_from_q4, office):
    periods = list(period(f"2009Q{q}") for q in range(1, 5))
    level = level_completeness(office, periods, dt.date(2010, 2, 1), "530000")
    kunming = next(row for row in level.rows if row.division.code == "530100")
    verdicts = [cell.verdict for cell in kunming.cells]
    assert verdicts[:3] == [ReportVerdict.NOT_COLLECTED] * 3 and verdicts[3] == ReportVerdict.MISSING
    assert kunming.rate.due == 1  # only 2009 Q4 counts
    assert [n.period.code for n in level.named] == ["2009Q4"]  # none named missing before it


def test_my_reports_says_the_province_reported_alone_before(client, yunnan_from_q4):
    with clock.travel(at("2010-01-05")):
        content = signed_in(client, yunnan_from_q4).get(reverse("reports:my_reports")).content.decode()
    assert "Reported alone" in content or "单独报告" in content


@pytest.fixture
def collecting(plan):
    CollectingDivision.objects.create(division=Division.objects.get(code="530000"))
    return make_persona("reporter_yn")


def test_nothing_to_report_waits_for_the_quarters_end_and_never_sets_a_returned_report_aside(
    collecting, english
):
    yn, kunming = collecting, Division.objects.get(code="530100")
    with clock.travel(at("2009-12-01")), pytest.raises(WorkflowError, match="not ended"):
        nothing_to_report_mark(actor=yn, division_id=kunming.pk, period=period("2009Q4"), reason="无")
    report = file_report(reporter_of("530100"), "2009Q4", when="2010-01-05", submit=True)
    with clock.travel(at("2010-01-06")):
        quarterly_report_return(actor=yn, report_id=report.pk, version=report.version, comment="请核实")
        with pytest.raises(WorkflowError, match="decide on it"):
            nothing_to_report_mark(actor=yn, division_id=kunming.pk, period=period("2009Q4"), reason="无")
        with pytest.raises(ValidationError) as refused:
            nothing_to_report_mark(
                actor=yn, division_id=Division.objects.get(code="530300").pk, period=period("2009Q4"),
                reason="无" * (MAX_TEXT + 1),
            )  # fmt: skip
    assert set(refused.value.message_dict) == {"reason"}
    assert not NothingToReport.objects.exists()


def test_a_lock_exception_is_bounded_and_ends_with_the_level_above_sending_its_report(collecting):
    yn, qujing = collecting, Division.objects.get(code="530300")
    grant = {"actor": yn, "division_id": qujing.pk, "period": period("2009Q4"), "reason": "系统故障"}
    with clock.travel(at("2010-01-25")):
        with pytest.raises(ValidationError) as refused:
            lock_exception_grant(**grant, open_until=dt.date(9999, 12, 31))
        assert set(refused.value.message_dict) == {"open_until"}
        with pytest.raises(ValidationError) as refused:
            lock_exception_grant(**{**grant, "reason": "x" * (MAX_TEXT + 1)}, open_until=dt.date(2010, 2, 1))
        assert set(refused.value.message_dict) == {"reason"}
        assert lock_exception_grant(**grant, open_until=dt.date(2010, 2, 1)).open_until == dt.date(2010, 2, 1)


def test_a_decisions_comment_is_bounded(collecting):
    report = file_report(reporter_of("530300"), "2009Q4", when="2010-01-05", submit=True)
    with clock.travel(at("2010-01-06")), pytest.raises(ValidationError) as refused:
        quarterly_report_return(
            actor=collecting, report_id=report.pk, version=report.version, comment="改" * (MAX_COMMENT + 1)
        )
    assert set(refused.value.message_dict) == {"comment"}
    assert QuarterlyReport.objects.get(pk=report.pk).state == "submitted"


def test_a_page_of_one_quarter_approves_only_that_quarters_reports(collecting):
    q4 = file_report(reporter_of("530300"), "2009Q4", when="2010-01-05", submit=True)
    with clock.travel(at("2010-01-06")):
        with pytest.raises(Http404):
            quarterly_reports_approve(actor=collecting, versions={q4.pk: q4.version}, period=period("2009Q3"))
        assert QuarterlyReport.objects.get(pk=q4.pk).state == "submitted"
        quarterly_reports_approve(actor=collecting, versions={q4.pk: q4.version}, period=period("2009Q4"))
    assert QuarterlyReport.objects.get(pk=q4.pk).state == "accepted"


def test_completeness_has_no_page_for_a_division_nobody_collects_from(client, collecting, office):
    signed_in(client, office)
    assert (
        client.get(reverse("reports:completeness_division", kwargs={"division": "530100"})).status_code == 200
    )
    for code in ("530102", "450100"):  # Kunming and Guangxi report alone
        assert (
            client.get(reverse("reports:completeness_division", kwargs={"division": code})).status_code == 404
        )


def test_the_below_api_pages_end_and_refuse_a_bad_page(collecting):
    api = api_for(collecting)
    with clock.travel(at("2010-01-06")):
        assert api.get("/api/quarterly-below/", {"period": "2009Q4"}).status_code == 200
        assert api.get("/api/quarterly-below/", {"period": "2009Q4", "page": 2}).status_code == 404
        for bad in ("0", "-1", "abc", "99999999999999999999"):
            response = api.get("/api/quarterly-below/", {"period": "2009Q4", "page": bad})
            assert response.status_code == 400 and "page" in response.json(), bad


def test_a_prefectures_dashboard_shows_its_own_quarters_not_its_province_as_missing(client, collecting):
    km = reporter_of("530100")
    file_report(km, "2009Q4", when="2010-01-05", submit=True)
    with clock.travel(at("2010-02-01")):
        content = signed_in(client, km).get(reverse("reports:dashboard")).content.decode()
    heat = content[content.index('id="heat"') :]
    heat = heat[: heat.index("</table>")]
    assert "昆明市" in heat and "云南省" not in heat


def test_a_stale_approval_says_nothing_was_decided_not_that_changes_were_lost(collecting, english):
    report = file_report(reporter_of("530300"), "2009Q4", when="2010-01-05", submit=True)
    with clock.travel(at("2010-01-06")), pytest.raises(WorkflowError) as refused:
        quarterly_reports_approve(actor=collecting, versions={report.pk: report.version - 1})
    assert "Nothing was decided" in str(refused.value) and "changes were not saved" not in str(refused.value)


def test_one_approval_takes_a_bounded_number_of_reports(collecting, english):
    with pytest.raises(ValidationError, match="at most") as refused:
        quarterly_reports_approve(
            actor=collecting, versions=dict.fromkeys(range(1, MAX_APPROVED_AT_ONCE + 2), 1)
        )
    assert set(refused.value.message_dict) == {"reports"}
