"""The pages with which a level reviews the reports below it (issue 13 points 1, 2 and 6): Yunnan
collects from its 16 prefectures; the page of the divisions below, bulk approval (all or none),
returning and unapproving, "nothing to report", lock exceptions, the three columns of a collecting
level's form and page, its quarters' counts, and who may see what."""

import re

import pytest
from django.urls import reverse

from agencies.models import Division
from core.choices import ReviewState
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
from tests.quarterly import file_report
from tests.queries import page_queries

pytestmark = [pytest.mark.django_db, pytest.mark.portal_date("2009-10-05")]


def below_url(code: str = Q) -> str:
    return reverse("reports:below", kwargs={"period": code})


def report_url(division: str, code: str = Q) -> str:
    return reverse("reports:report", kwargs={"division": division, "period": code})


def decide_url(division: str, decision: str, code: str = Q) -> str:
    return reverse(
        "reports:report_decide", kwargs={"division": division, "period": code, "decision": decision}
    )


@pytest.fixture
def yn(persona):
    """Yunnan's provincial reporter; Yunnan collects from its prefectures."""
    collect("530000")
    return persona("reporter_yn")


def signed_in(client, user):
    client.force_login(user)
    return in_english(client)


def row(content: str, code: str) -> str:
    match = re.search(rf'<tr id="row-{code}".*?</tr>', content, re.S)
    assert match, f"no row for {code}"
    return match.group(0)


def test_the_page_lists_every_division_below_with_its_state(client, yn):
    kunming = submitted(KUNMING)
    approve(yn, submitted(QUJING))
    file_report(reporter_of(YUXI), Q)  # a draft: not seen above
    nothing_to_report_mark(actor=yn, division_id=Division.objects.get(code=BAOSHAN).pk, period=period(Q),
                           reason="本季度无案件")  # fmt: skip
    response = signed_in(client, yn).get(below_url())
    assert response.status_code == 200
    content = response.content.decode()
    assert len(re.findall(r'<tr id="row-', content)) == 16  # every prefecture of Yunnan
    assert 'data-state="submitted"' in row(content, KUNMING)
    assert f'name="report" value="{kunming.pk}"' in row(content, KUNMING)
    assert f'name="version-{kunming.pk}" value="{kunming.version}"' in row(content, KUNMING)
    assert f'<label for="approve-{KUNMING}" class="visually-hidden">{kunming.division}</label>' in content
    assert "Approved" in row(content, QUJING) and 'name="report"' not in row(content, QUJING)
    assert str(yn) in row(content, QUJING)  # who approved
    assert 'data-state="none"' in row(content, YUXI) and "Nothing received" in row(content, YUXI)
    assert "On time" in row(content, KUNMING)
    assert 'data-state="nothing"' in row(content, BAOSHAN) and "本季度无案件" in row(content, BAOSHAN)
    assert "1 of 16 approved" in content and "1 marked as having nothing to report" in content
    assert "Approve the selected reports" in content


def test_bulk_approval_approves_every_selected_report(client, yn):
    kunming, qujing, yuxi = submitted(KUNMING), submitted(QUJING), submitted(YUXI)
    response = signed_in(client, yn).post(
        reverse("reports:below_approve", kwargs={"period": Q}),
        {"report": [kunming.pk, qujing.pk], f"version-{kunming.pk}": kunming.version,
         f"version-{qujing.pk}": qujing.version, f"version-{yuxi.pk}": yuxi.version},
        follow=True,
    )  # fmt: skip
    assert response.redirect_chain[-1][0] == below_url()
    assert "2 reports were approved" in response.content.decode()
    states = dict(QuarterlyReport.objects.filter(period=period(Q)).values_list("division__code", "state"))
    assert states == {KUNMING: "accepted", QUJING: "accepted", YUXI: "submitted"}  # not chosen: left


def test_bulk_approval_is_all_or_none_when_one_report_is_stale(client, yn):
    kunming, qujing = submitted(KUNMING), submitted(QUJING)
    response = signed_in(client, yn).post(
        reverse("reports:below_approve", kwargs={"period": Q}),
        {"report": [kunming.pk, qujing.pk], f"version-{kunming.pk}": kunming.version,
         f"version-{qujing.pk}": qujing.version - 1},
        follow=True,
    )  # fmt: skip
    content = response.content.decode()
    assert f"{qujing.division}:" in content and "Nothing was approved." in content
    assert set(QuarterlyReport.objects.values_list("state", flat=True)) == {"submitted"}
    response = client.post(reverse("reports:below_approve", kwargs={"period": Q}), {}, follow=True)
    assert "Choose at least one report to approve." in response.content.decode()
    response = client.post(  # a version that is not a number: the form is out of date
        reverse("reports:below_approve", kwargs={"period": Q}),
        {"report": [kunming.pk], f"version-{kunming.pk}": "x"},
        follow=True,
    )
    assert "out of date" in response.content.decode()
    assert set(QuarterlyReport.objects.values_list("state", flat=True)) == {"submitted"}


def test_return_needs_a_comment_and_the_page_speaks_of_approval(client, yn):
    kunming = submitted(KUNMING)
    client = signed_in(client, yn)
    content = client.get(report_url(KUNMING)).content.decode()
    assert ">Approve</button>" in content and f">Return to {kunming.division}</button>" in content
    assert "Accept</button>" not in content and f"Decision of {yn.agency.division}" in content
    assert f'<a href="{below_url()}">Reports below for' in content  # the breadcrumb back
    response = client.post(decide_url(KUNMING, "return"), {"version": kunming.version, "comment": " "})
    assert response.status_code == 400
    assert QuarterlyReport.objects.get(pk=kunming.pk).state == "submitted"
    response = client.post(
        decide_url(KUNMING, "return"), {"version": kunming.version, "comment": "请核实破案数"}, follow=True
    )
    assert response.redirect_chain[-1][0] == below_url()
    assert f"The report was returned to {kunming.division} with your comment." in response.content.decode()
    assert QuarterlyReport.objects.get(pk=kunming.pk).state == "returned"
    assert "请核实破案数" in row(response.content.decode(), KUNMING)


def test_approve_then_unapprove_counts_the_values_changed_since(client, yn):
    kunming = approve(yn, submitted(KUNMING))
    client = signed_in(client, yn)
    response = client.post(decide_url(KUNMING, "accept"), {"version": kunming.version}, follow=True)
    assert "that decision is not possible" in response.content.decode()
    content = client.get(report_url(KUNMING)).content.decode()
    assert ">Unapprove</button>" in content and "Reopen for correction" not in content
    assert "approved" in content and str(yn) in content
    response = client.post(decide_url(KUNMING, "reopen"), {"version": kunming.version, "comment": ""})
    assert response.status_code == 400  # unapproving needs a reason
    response = client.post(
        decide_url(KUNMING, "reopen"), {"version": kunming.version, "comment": "数字有误"}, follow=True
    )
    assert f"The report of {kunming.division} was unapproved" in response.content.decode()
    assert "Lock exception until" in row(response.content.decode(), KUNMING)
    kunming = QuarterlyReport.objects.get(pk=kunming.pk)
    file_report(kunming.submitted_by, Q, values={"cases_reported": 41}, version=kunming.version, submit=True)
    content = client.get(below_url()).content.decode()
    assert "1 value changed since the last approval" in row(content, KUNMING)
    content = client.get(report_url(KUNMING)).content.decode()
    assert "1 value changed since the last approval." in content


def test_unapprove_is_refused_while_the_provinces_own_report_is_submitted(client, yn):
    kunming = approve(yn, submitted(KUNMING))
    for prefecture in prefectures()[1:]:
        nothing_to_report_mark(actor=yn, division_id=prefecture.pk, period=period(Q), reason="无")
    own = file_report(yn, Q, values={}, submit=True)
    assert own.state == "submitted"
    response = signed_in(client, yn).post(
        decide_url(KUNMING, "reopen"), {"version": kunming.version, "comment": "数字有误"}, follow=True
    )
    assert f"{yn.agency.division} has already submitted its report" in response.content.decode()
    assert QuarterlyReport.objects.get(pk=kunming.pk).state == "accepted"


def test_nothing_to_report_needs_a_reason_and_can_be_taken_back(client, yn):
    url = reverse("reports:below_nothing", kwargs={"period": Q, "division": YUXI})
    client = signed_in(client, yn)
    response = client.post(url, {"reason": "  "}, follow=True)
    assert "Why has this division nothing to report?: Say why" in response.content.decode()
    assert not NothingToReport.objects.exists()
    response = client.post(url, {"reason": "撤并后无机构"}, follow=True)
    assert 'data-state="nothing"' in row(response.content.decode(), YUXI)
    mark = NothingToReport.objects.get()
    assert (mark.division.code, mark.marked_by, mark.reason) == (YUXI, yn, "撤并后无机构")
    response = client.post(url, {"clear": "1"}, follow=True)
    assert 'data-state="none"' in row(response.content.decode(), YUXI)
    assert not NothingToReport.objects.exists()
    approve(yn, submitted(KUNMING))  # a division whose report is approved cannot be marked
    response = client.post(
        reverse("reports:below_nothing", kwargs={"period": Q, "division": KUNMING}),
        {"reason": "无"},
        follow=True,
    )
    assert "decide on it instead" in response.content.decode() and not NothingToReport.objects.exists()


def test_a_lock_exception_names_the_field_it_refuses(client, yn):
    url = reverse("reports:below_exception", kwargs={"period": Q, "division": YUXI})
    client = signed_in(client, yn)
    response = client.post(url, {"open_until": "2009-10-01", "reason": "补报"}, follow=True)
    assert "Open until: Choose a date from today on." in response.content.decode()
    response = client.post(url, {"open_until": "2009-13-45", "reason": "补报"}, follow=True)
    assert "Open until: Enter a valid date." in response.content.decode()
    response = client.post(url, {"open_until": "2009-11-30", "reason": ""}, follow=True)
    assert "Reason: Say why the quarter is opened again" in response.content.decode()
    assert not LockException.objects.exists()
    response = client.post(url, {"open_until": "2009-11-30", "reason": "补报"}, follow=True)
    exception = LockException.objects.get()
    assert (exception.division.code, str(exception.open_until), exception.granted_by) == (
        YUXI,
        "2009-11-30",
        yn,
    )
    assert "Lock exception until" in row(response.content.decode(), YUXI)


def test_the_form_of_a_collecting_level_shows_own_below_and_total(client, yn):
    approve(yn, submitted(KUNMING, cases_reported=40))
    client = signed_in(client, yn)
    response = client.get(reverse("reports:report_edit", kwargs={"period": Q}))
    content = response.content.decode()
    line = re.search(r'<tr id="figure-cases_reported">.*?</tr>', content, re.S).group(0)
    assert '<td class="num below">40</td>' in line and '<td class="num total">40</td>' in line
    assert 'name="submit" class="primary" disabled' in content
    assert "Not yet: still missing below:" in content and str(prefectures()[1]) in content
    data = {"figure_cases_reported": "7", "narrative_3": "省本级案件", "version": ""}
    response = client.post(reverse("reports:report_edit", kwargs={"period": Q}), {**data, "submit": "1"})
    content = response.content.decode()
    assert response.status_code == 200
    assert "Every division below must have an approved report" in content  # on top, not silently
    assert 'name="figure_cases_reported" value="7"' in content  # what was typed is kept
    line = re.search(r'<tr id="figure-cases_reported">.*?</tr>', content, re.S).group(0)
    assert '<td class="num total">47</td>' in line
    assert not QuarterlyReport.objects.filter(division__code="530000").exists()


def test_the_page_of_a_submitted_collecting_level_shows_its_columns(client, yn, office):
    approve(yn, submitted(KUNMING, cases_reported=40))
    for prefecture in prefectures()[1:]:
        nothing_to_report_mark(actor=yn, division_id=prefecture.pk, period=period(Q), reason="无")
    file_report(yn, Q, values={"cases_reported": 5}, submit=True)
    client = signed_in(client, office)
    content = client.get(report_url("530000")).content.decode()
    line = re.search(r'<tr id="figure-cases_reported">.*?</tr>', content, re.S).group(0)
    assert '<td class="num own">5</td>' in line and '<td class="num below">40</td>' in line
    assert '<td class="num total">45</td>' in line
    assert "submitted" in content and str(yn) in content
    assert ">Accept</button>" in content and ">Return to the province</button>" in content


def test_my_reports_counts_the_reports_below_per_quarter(client, yn):
    approve(yn, submitted(KUNMING))
    submitted(QUJING)
    content = signed_in(client, yn).get(reverse("reports:my_reports")).content.decode()
    assert f'href="{below_url()}">1 of 16 approved</a>' in content
    assert "1 waiting for your decision" in content
    assert f'href="{reverse("reports:below_current")}"' in content  # the navigation's link
    small = page_queries(client, reverse("reports:my_reports"))
    for code in (YUXI, BAOSHAN):
        approve(yn, submitted(code))
    file_report(reporter_of("530600"), "2009Q2", when="2009-07-05", submit=True)
    assert page_queries(client, reverse("reports:my_reports")) == small


def test_the_period_select_moves_between_quarters(client, yn):
    response = signed_in(client, yn).get(below_url(), {"period": "2009Q2"})
    assert response.status_code == 302 and response["Location"] == below_url("2009Q2")
    assert client.get(below_url(), {"period": "2031Q1"}).status_code == 404
    assert client.get(reverse("reports:below_current")).status_code == 302


def test_who_may_not_see_gets_404(client, yn, persona):
    collect(KUNMING)
    collect(QUJING)
    county = Division.objects.current().filter(parent__code=KUNMING).order_by("code").first()
    county_report = file_report(reporter_of(county.code), Q, submit=True)
    kunming, qujing = reporter_of(KUNMING), reporter_of(QUJING)
    assert signed_in(client, kunming).get(report_url(county.code)).status_code == 200
    assert county.name_en in client.get(below_url()).content.decode()
    client = signed_in(client, qujing)  # another prefecture
    assert client.get(below_url()).status_code == 200
    assert client.get(report_url(county.code)).status_code == 404
    for name in ("below_nothing", "below_exception"):
        url = reverse(f"reports:{name}", kwargs={"period": Q, "division": county.code})
        assert client.post(url, {"reason": "无", "open_until": "2009-11-30"}).status_code == 404
    assert (
        client.post(decide_url(county.code, "accept"), {"version": county_report.version}).status_code == 404
    )
    response = client.post(
        reverse("reports:below_approve", kwargs={"period": Q}),
        {"report": [county_report.pk], f"version-{county_report.pk}": county_report.version},
    )
    assert response.status_code == 404
    assert QuarterlyReport.objects.get(pk=county_report.pk).state == "submitted"
    assert not NothingToReport.objects.exists() and not LockException.objects.exists()
    assert signed_in(client, reporter_of(YUXI)).get(below_url()).status_code == 404  # reports alone
    assert signed_in(client, persona("liaison_mca")).get(below_url()).status_code == 404
    assert client.get(reverse("reports:below_current")).status_code == 404
    assert signed_in(client, persona("office")).get(below_url()).status_code == 404
    assert signed_in(client, persona("reporter_gx")).get(report_url(KUNMING)).status_code == 404


def test_the_office_decides_only_on_provinces(client, yn, office):
    kunming = submitted(KUNMING)
    client = signed_in(client, office)
    content = client.get(report_url(KUNMING)).content.decode()  # the Office reads it
    assert 'id="review"' not in content
    response = client.post(decide_url(KUNMING, "accept"), {"version": kunming.version})
    assert response.status_code == 403
    assert QuarterlyReport.objects.get(pk=kunming.pk).state == ReviewState.SUBMITTED


def test_the_below_page_costs_the_same_queries_at_any_size(client, yn):
    """Filled in for 3 prefectures, then for 12."""
    children = prefectures()
    fill_below(yn, children[:4])
    client = signed_in(client, yn)
    small = page_queries(client, below_url())
    fill_below(yn, children[4:13])
    content = client.get(below_url()).content.decode()
    assert content.count('name="report"') > 3 and content.count('data-state="nothing"') == 2
    assert page_queries(client, below_url()) == small


def test_the_page_speaks_chinese(client, yn):
    kunming = submitted(KUNMING)
    client.force_login(yn)
    content = client.get(below_url()).content.decode()
    assert f"<h1>{period(Q)}下级报告" in content
    assert "16份中已审批0份" in content and "审批通过所选报告" in content
    content = client.get(report_url(KUNMING)).content.decode()
    assert ">审批通过</button>" in content and f">退回{kunming.division}</button>" in content


def test_the_rows_are_paged(client, yn, monkeypatch):
    monkeypatch.setattr("reports.selectors.chain.BELOW_PAGE_SIZE", 5)
    approve(yn, submitted(prefectures()[-1].code))
    client = signed_in(client, yn)
    first = client.get(below_url()).content.decode()
    assert first.count('<tr id="row-') == 5 and "Page 1 of 4" in first
    last = client.get(below_url(), {"page": 4}).content.decode()
    assert last.count('<tr id="row-') == 1 and "1 of 16 approved" in last
    assert 'data-state="accepted"' in last
