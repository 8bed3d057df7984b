"""The reporting chain's services (issue 13): Yunnan collects from its prefectures, Kunming from its
counties, the other prefectures report alone; each level approves the one below, the Office
accepts the province. The approval order, locking and unapproving, sums across levels, who
decides, lock exceptions and "nothing to report", each step in the history.

The quarter is 2009 Q4 (ended 2009-12-31, deadline 2010-01-15; with 7 lock days it is locked
from 2010-01-23).
"""

import datetime as dt
import threading
import time

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.http import Http404

from agencies.models import Division
from core import clock
from core.choices import Role
from core.models import ChangeRecord
from core.workflow import EditConflict, WorkflowError
from reports.models import (
    CollectingDivision,
    LockException,
    NothingToReport,
    QuarterlyReport,
    QuarterlyTotal,
    ReopenRequest,
)
from reports.models.chain import reporting_children
from reports.services.chain import (
    changes_since_approval,
    lock_exception_grant,
    nothing_to_report_clear,
    nothing_to_report_mark,
)
from reports.services.quarterly import (
    QUARTERLY_REPORT,
    PeriodLocked,
    quarterly_report_accept,
    quarterly_report_reopen,
    quarterly_report_return,
    quarterly_report_save,
    quarterly_reports_approve,
    reopen_request_create,
    reopen_request_decide,
)
from tests.personas import make_agency, make_user
from tests.progress import at, period
from tests.quarterly import good_values

pytestmark = pytest.mark.django_db

Q4 = "2009Q4"
# Reporters by the code of their division: the province, Kunming (collects), two prefectures that
# report alone, and three of Kunming's counties.
REPORTERS = {
    "yn": "530000",
    "km": "530100",
    "qj": "530300",
    "yx": "530400",
    "wh": "530102",
    "pl": "530103",
    "gd": "530111",
}


class Chain:
    """The people of the chain (``chain.km``: Kunming's reporter) and its divisions."""

    def __init__(self, office):
        self.office = office
        for name, code in REPORTERS.items():
            make_agency(f"ATO-{code}")
            setattr(self, name, make_user(f"chain_{name}", Role.PROVINCE, agency=f"ATO-{code}"))
        self.yunnan = Division.objects.get(code="530000")
        self.kunming = Division.objects.get(code="530100")
        CollectingDivision.objects.create(division=self.yunnan)
        CollectingDivision.objects.create(division=self.kunming)

    def division(self, code: str) -> Division:
        return Division.objects.get(code=code)


@pytest.fixture
def chain(plan, office, settings):
    settings.QUARTERLY_LOCK_DAYS = 7
    return Chain(office)


def save(user, values=None, *, submit=False, when="2010-01-05", narratives=None, version=None):
    """The user's division's report for 2009 Q4 saved (and submitted) on the day."""
    with clock.travel(at(when)):
        return quarterly_report_save(
            actor=user,
            period=period(Q4),
            values=good_values() if values is None else values,
            narratives=narratives or {},
            version=version,
            submit=submit,
        )


def fresh(report) -> QuarterlyReport:
    return QuarterlyReport.objects.get(pk=report.pk)


def decide(user, report, decision, comment="", *, when="2010-01-06", version=None):
    service = {
        "accept": quarterly_report_accept,
        "return": quarterly_report_return,
        "reopen": quarterly_report_reopen,
    }[decision]
    with clock.travel(at(when)):
        return service(
            actor=user,
            report_id=report.pk,
            version=fresh(report).version if version is None else version,
            comment=comment,
        )


def mark(user, code, reason="本季度无拐卖案件。", *, when="2010-01-05"):
    with clock.travel(at(when)):
        return nothing_to_report_mark(
            actor=user, division_id=Division.objects.get(code=code).pk, period=period(Q4), reason=reason
        )


def mark_others(user, division, keep, *, when="2010-01-05"):
    """Mark every division below ``division`` but those in ``keep`` as having nothing to report."""
    for child in reporting_children(division):
        if child.code not in keep:
            mark(user, child.code, when=when)


def totals(report) -> dict[str, int]:
    return dict(QuarterlyTotal.objects.filter(report=report).values_list("figure__code", "value"))


def counties_approved(chain):
    """Wuhua and Panlong submit, Kunming marks its other counties and approves both at once."""
    wh = save(chain.wh, good_values(), submit=True)
    pl = save(chain.pl, good_values(cases_reported=50), submit=True)
    mark_others(chain.km, chain.kunming, keep={"530102", "530103"})
    with clock.travel(at("2010-01-06")):
        quarterly_reports_approve(
            actor=chain.km, versions={wh.pk: fresh(wh).version, pl.pk: fresh(pl).version}, comment="审核通过"
        )
    return fresh(wh), fresh(pl)


def prefectures_approved(chain, kunming_values=None):
    """Kunming (with its counties) and Qujing submit; Yunnan marks the other 14 prefectures and
    approves both."""
    counties_approved(chain)
    km = save(chain.km, {"cases_reported": 3} if kunming_values is None else kunming_values, submit=True)
    qj = save(chain.qj, good_values(cases_reported=30, cases_solved=30), submit=True)
    mark_others(chain.yn, chain.yunnan, keep={"530100", "530300"})
    decide(chain.yn, km, "accept")
    decide(chain.yn, qj, "accept")
    return fresh(km), fresh(qj)


# --- the approval order ------------------------------------------------------------------------


def test_a_level_submits_only_when_everything_below_is_approved_or_marked(chain):
    qj = save(chain.qj, submit=True)  # a prefecture that reports alone submits
    assert qj.state == "submitted" and qj.division.code == "530300" and qj.province.code == "530000"
    with pytest.raises(WorkflowError) as refused:  # nothing below Yunnan is approved yet
        save(chain.yn, {}, submit=True)
    for name in ("昆明市", "曲靖市", "玉溪市", "迪庆藏族自治州"):  # submitted is not approved
        assert name in str(refused.value)
    assert not QuarterlyReport.objects.filter(division=chain.yunnan).exists()  # nothing saved half-way

    # Kunming collects: it cannot submit before its counties are approved, and says which.
    with pytest.raises(WorkflowError) as refused:
        save(chain.km, {}, submit=True)
    assert "五华区" in str(refused.value) and "安宁市" in str(refused.value)
    wh, pl = counties_approved(chain)
    assert (wh.state, wh.state_label, pl.state) == ("accepted", "已审批", "accepted")
    km = save(chain.km, {}, submit=True)
    assert km.state == "submitted"

    decide(chain.yn, km, "accept")
    decide(chain.yn, qj, "accept")
    with pytest.raises(WorkflowError) as refused:  # 14 prefectures still neither approved nor marked
        save(chain.yn, {}, submit=True)
    assert "昆明市" not in str(refused.value) and "曲靖市" not in str(refused.value)
    assert "玉溪市" in str(refused.value)
    mark_others(chain.yn, chain.yunnan, keep={"530100", "530300"})
    report = save(chain.yn, {}, submit=True)
    assert report.state == "submitted" and report.is_provincial
    report = decide(chain.office, report, "accept")
    assert report.state == "accepted" and report.state_label == report.get_state_display() == "已采纳"


def test_a_province_created_before_its_prefectures_sums_them_when_it_submits(chain):
    draft = save(chain.yn, {"cases_reported": 5})  # the province starts before anyone below
    assert draft.state == "draft" and totals(draft) == {}
    km, qj = prefectures_approved(chain)  # the prefectures save under the province's draft
    report = save(chain.yn, {}, submit=True)
    assert report.pk == draft.pk
    assert totals(report)["cases_reported"] == 5 + totals(km)["cases_reported"] + 30


# --- sums across levels ------------------------------------------------------------------------


def test_totals_are_own_figures_plus_the_approved_totals_below_at_three_levels(chain):
    km, qj = prefectures_approved(chain, kunming_values={"cases_reported": 3, "trainings_held": 1})
    wh = QuarterlyReport.objects.get(division__code="530102")
    pl = QuarterlyReport.objects.get(division__code="530103")
    # A county that reports alone: its totals are its figures.
    assert totals(wh) == good_values() and totals(pl) == good_values(cases_reported=50)
    # Kunming: its own figures (two of them) plus its two approved counties; a figure it has no
    # value of counts 0 (the counties marked "nothing to report" add nothing).
    kunming = totals(km)
    assert kunming["cases_reported"] == 3 + 40 + 50
    assert kunming["trainings_held"] == 1 + 4 + 4
    assert kunming["cases_solved"] == 30 + 30
    assert set(kunming) == set(good_values())
    assert km.values.count() == 2
    # Yunnan collects: its own figures may be left empty.
    report = save(chain.yn, {}, submit=True)
    assert report.values.count() == 0
    yunnan = totals(report)
    assert yunnan["cases_reported"] == 93 + 30 and yunnan["cases_solved"] == 60 + 30
    assert yunnan["publicity_events"] == 9 * 3
    # National figures count only the accepted provinces' totals.
    counted = QuarterlyTotal.objects.counted().filter(
        report__period=period(Q4), figure__code="cases_reported"
    )
    assert not counted.exists()
    assert QuarterlyTotal.objects.unconfirmed().get(report=report, figure__code="cases_reported").value == 123
    decide(chain.office, report, "accept")
    assert counted.get().value == 123


def test_own_figures_of_a_collecting_level_add_to_its_totals(chain):
    prefectures_approved(chain)
    report = save(chain.yn, {"cases_reported": 7, "women_rescued": 2}, submit=True)
    assert totals(report)["cases_reported"] == 123 + 7
    assert totals(report)["women_rescued"] == 20 * 3 + 2


def test_rules_hold_over_the_totals_not_the_own_figures(chain, english):
    prefectures_approved(chain)  # below: 123 cases reported, 90 solved
    # Alone, 20 solved of 0 reported breaks "solved <= reported"; with what is below it holds.
    report = save(chain.yn, {"cases_solved": 20, "cases_reported": 0}, submit=True)
    assert report.state == "submitted" and totals(report)["cases_solved"] == 110
    decide(chain.office, report, "return", "请核实破案数")
    # 40 more solved make the totals break the rule (130 solved of 123 reported): refused, named.
    with pytest.raises(ValidationError) as refused:
        save(chain.yn, {"cases_solved": 40}, submit=True)
    assert refused.value.message_dict == {
        "cases_solved": ["Cases solved cannot be more than cases reported."]
    }
    assert fresh(report).values.get(figure__code="cases_solved").value == 20  # nothing saved
    assert totals(report)["cases_solved"] == 110
    # The same holds for a draft: the rules of errors block saving.
    with pytest.raises(ValidationError):
        save(chain.yn, {"cases_solved": 40})


def test_a_bad_figure_of_a_collecting_level_is_named_not_a_crash(chain, english):
    """Found in review: the totals were added up before the figures were checked, so text in a
    figure of a level that collects was a TypeError (a 500) instead of the field's message."""
    with pytest.raises(ValidationError) as refused:
        save(chain.yn, {"cases_reported": "many", "cases_solved": -1})
    assert refused.value.message_dict == {
        "cases_reported": ["Enter a whole number, 0 or more."],
        "cases_solved": ["Enter a whole number, 0 or more."],
    }
    assert not QuarterlyReport.objects.filter(division=chain.yunnan).exists()


# --- approval locks; unapproving ---------------------------------------------------------------


def test_approval_locks_the_report_and_the_province_submitting_locks_everything_below(chain):
    km, qj = prefectures_approved(chain)
    wh = QuarterlyReport.objects.get(division__code="530102")
    with pytest.raises(WorkflowError, match="不能再修改"):  # approved: frozen for its division
        save(chain.wh, {"cases_reported": 41})
    with pytest.raises(WorkflowError, match="不能再修改"):
        save(chain.qj, {"cases_reported": 41})
    province = save(chain.yn, {}, submit=True)
    # Kunming's approval (and now the province's submission) lock what is below them.
    with pytest.raises(WorkflowError, match="昆明市"):  # Kunming's report is approved
        decide(chain.km, wh, "reopen", "需要更正")
    assert fresh(wh).state == "accepted"
    with pytest.raises(WorkflowError, match="云南省"):  # the province has submitted
        decide(chain.yn, km, "reopen", "需要更正")
    with pytest.raises(WorkflowError):  # an approved report cannot be returned, either
        decide(chain.yn, qj, "return", "需要更正")
    with pytest.raises(WorkflowError, match="下级地区已锁定"):  # nor the prefectures' marks changed
        mark(chain.yn, "530400")  # already marked, but the lock is said first
    yuxi_mark = NothingToReport.objects.get(division__code="530400", period=period(Q4))
    with pytest.raises(WorkflowError, match="下级地区已锁定"):
        nothing_to_report_clear(actor=chain.yn, mark_id=yuxi_mark.pk)
    guandu_mark = NothingToReport.objects.get(division__code="530111", period=period(Q4))
    with pytest.raises(WorkflowError):
        nothing_to_report_clear(actor=chain.km, mark_id=guandu_mark.pk)
    with pytest.raises(WorkflowError, match="昆明市"):  # a marked county cannot start a report now
        save(chain.gd, {"cases_reported": 1})
    assert NothingToReport.objects.filter(pk__in=[yuxi_mark.pk, guandu_mark.pk]).count() == 2
    assert [fresh(r).state for r in (km, qj, wh)] == ["accepted"] * 3
    assert fresh(province).state == "submitted"


def test_the_office_returns_the_province_which_unapproves_a_prefecture_to_correct_it(chain):
    km, qj = prefectures_approved(chain, kunming_values={"cases_reported": 3, "women_rescued": 1})
    province = save(chain.yn, {}, submit=True)
    assert totals(province)["cases_reported"] == 123
    decide(chain.office, province, "return", "昆明市立案数有误", when="2010-01-08")
    assert changes_since_approval(fresh(km)) == 0
    with pytest.raises(ValidationError) as refused:  # unapproving needs a reason
        decide(chain.yn, km, "reopen", "  ", when="2010-01-09")
    assert "comment" in refused.value.message_dict
    km = decide(chain.yn, km, "reopen", "立案数与公安统计不一致", when="2010-01-09")
    assert km.state == "returned" and km.state_label == "已退回"
    # The province's report, returned, no longer counts what Kunming sent; it cannot resubmit.
    with pytest.raises(WorkflowError, match="昆明市"):
        save(chain.yn, {}, submit=True, when="2010-01-09")
    # Kunming corrects two values and resubmits; three changed since the approval.
    km = save(
        chain.km, {"cases_reported": 13, "women_rescued": None, "children_rescued": 2}, submit=True,
        when="2010-01-10",
    )  # fmt: skip
    assert km.state == "submitted"
    assert changes_since_approval(km) == 3
    assert totals(km)["cases_reported"] == 13 + 90
    km = decide(chain.yn, km, "accept", when="2010-01-11")
    assert changes_since_approval(km) == 0
    province = save(chain.yn, {}, submit=True, when="2010-01-11")
    assert province.state == "submitted"
    assert totals(province)["cases_reported"] == 133
    assert totals(province)["children_rescued"] == 15 * 3 + 2
    # Every step of Kunming's report, with who took it and when.
    history = [
        (c.action, c.actor.username, c.at.date().isoformat())
        for c in ChangeRecord.objects.for_object(km).order_by("at", "pk")
    ]
    assert history == [
        ("created", "chain_km", "2010-01-05"),
        ("submitted", "chain_km", "2010-01-05"),
        ("approved", "chain_yn", "2010-01-06"),
        ("unapproved", "chain_yn", "2010-01-09"),
        ("edited", "chain_km", "2010-01-10"),
        ("resubmitted", "chain_km", "2010-01-10"),
        ("approved", "chain_yn", "2010-01-11"),
    ]
    unapproved = ChangeRecord.objects.for_object(km).get(action="unapproved")
    assert unapproved.comment == "立案数与公安统计不一致"


def test_changes_since_approval_is_none_before_any_approval(chain):
    qj = save(chain.qj, submit=True)
    assert changes_since_approval(qj) is None
    qj = decide(chain.yn, qj, "accept")
    assert changes_since_approval(qj) == 0
    assert qj.approved_values["figures.cases_reported"] == 40


# --- who decides -------------------------------------------------------------------------------


def test_only_the_level_directly_above_decides(chain):
    wh = save(chain.wh, submit=True)
    km_draft = save(chain.km, {"cases_reported": 1})
    qj = save(chain.qj, submit=True)
    with pytest.raises(PermissionDenied):  # the province sees the county's report, Kunming decides
        decide(chain.yn, wh, "accept")
    assert not QUARTERLY_REPORT.may_decide(chain.yn, wh, "accept")
    assert QUARTERLY_REPORT.may_decide(chain.km, wh, "accept")
    with pytest.raises(Http404):  # a sibling prefecture does not even see it
        decide(chain.qj, wh, "accept")
    with pytest.raises(Http404):  # a county does not see its prefecture's report
        decide(chain.wh, km_draft, "accept")
    with pytest.raises(Http404):  # nor does the province see a draft below it
        decide(chain.yn, km_draft, "accept")
    with pytest.raises(Http404):  # nor a sibling a submitted one
        decide(chain.yx, qj, "accept")
    with pytest.raises(PermissionDenied):  # the Office decides only on provinces
        decide(chain.office, qj, "accept")
    with pytest.raises(PermissionDenied):  # nobody decides on their own report
        decide(chain.qj, qj, "accept")
    assert [fresh(r).state for r in (wh, km_draft, qj)] == ["submitted", "draft", "submitted"]
    assert decide(chain.km, wh, "return", "请补充说明").state == "returned"
    assert decide(chain.yn, qj, "accept").state == "accepted"


def test_bulk_approval_is_all_or_none_and_names_the_stale_report(chain):
    wh = save(chain.wh, submit=True)
    pl = save(chain.pl, submit=True)
    stale = fresh(pl).version
    decide(chain.km, pl, "return", "请补充说明")
    pl = save(chain.pl, {"cases_reported": 41}, submit=True)  # changed since the approver looked
    with pytest.raises((WorkflowError, EditConflict)) as refused, clock.travel(at("2010-01-07")):
        quarterly_reports_approve(actor=chain.km, versions={wh.pk: fresh(wh).version, pl.pk: stale})
    assert "盘龙区" in str(refused.value)
    assert [fresh(wh).state, fresh(pl).state] == ["submitted", "submitted"]
    assert not ChangeRecord.objects.filter(action="approved").exists()
    with pytest.raises(ValidationError):
        quarterly_reports_approve(actor=chain.km, versions={})
    qj = save(chain.qj, submit=True)
    with pytest.raises(Http404):  # one the approver may not see: nothing approved
        quarterly_reports_approve(actor=chain.km, versions={wh.pk: fresh(wh).version, qj.pk: None})
    assert fresh(wh).state == "submitted"
    with clock.travel(at("2010-01-07")):
        approved = quarterly_reports_approve(
            actor=chain.km, versions={wh.pk: fresh(wh).version, pl.pk: fresh(pl).version}, comment="通过"
        )
    assert [r.state for r in approved] == ["accepted", "accepted"]
    rows = ChangeRecord.objects.filter(action="approved").order_by("object_id")
    assert [(r.object_id, r.actor, r.comment) for r in rows] == [
        (wh.pk, chain.km, "通过"),
        (pl.pk, chain.km, "通过"),
    ]


def test_two_approvers_at_once_the_second_is_told(chain):
    qj = save(chain.qj, submit=True)
    second = make_user("chain_yn2", Role.PROVINCE, agency="ATO-530000")
    seen = fresh(qj).version
    decide(chain.yn, qj, "accept", version=seen)
    with pytest.raises(EditConflict):
        decide(second, qj, "return", "有误", version=seen)
    with pytest.raises(EditConflict):
        decide(second, qj, "accept", version=seen)
    assert ChangeRecord.objects.for_object(qj).filter(action="approved").count() == 1


# --- lock exceptions ---------------------------------------------------------------------------


def test_a_lock_exception_opens_a_locked_quarter_until_its_date(chain, english):
    with pytest.raises(PeriodLocked, match="Yunnan"):  # locked from 2010-01-23; ask the province
        save(chain.qj, when="2010-01-25")
    grant = {"actor": chain.yn, "division_id": chain.division("530300").pk, "period": period(Q4)}
    with clock.travel(at("2010-01-25")):
        with pytest.raises(ValidationError) as refused:
            lock_exception_grant(**grant, open_until=dt.date(2010, 1, 24), reason="")
        assert set(refused.value.message_dict) == {"open_until", "reason"}
        with pytest.raises(ValidationError) as refused:
            lock_exception_grant(**grant, open_until=None, reason="系统故障")
        assert set(refused.value.message_dict) == {"open_until"}
        with pytest.raises(Http404):  # a sibling prefecture grants nothing
            lock_exception_grant(**{**grant, "actor": chain.yx}, open_until=dt.date(2010, 1, 30), reason="x")
        with pytest.raises(Http404):  # nor the province to a county (Kunming's to grant)
            lock_exception_grant(
                **{**grant, "division_id": chain.division("530102").pk},
                open_until=dt.date(2010, 1, 30),
                reason="x",
            )
        exception = lock_exception_grant(**grant, open_until=dt.date(2010, 1, 30), reason="系统故障")
    assert (exception.granted_by, exception.granted_at.date()) == (chain.yn, dt.date(2010, 1, 25))
    history = ChangeRecord.objects.for_object(exception).get()
    assert (history.action, history.actor, history.comment) == ("granted", chain.yn, "系统故障")
    report = save(chain.qj, submit=True, when="2010-01-30")
    assert report.state == "submitted" and report.is_late
    decide(chain.yn, report, "return", "请补充", when="2010-01-30")
    with pytest.raises(PeriodLocked):  # the exception is over
        save(chain.qj, submit=True, when="2010-01-31")
    with pytest.raises(PeriodLocked):  # an exception is for its division only
        save(chain.yx, when="2010-01-26")


def test_unapproving_after_the_lock_grants_a_week(chain):
    qj = decide(chain.yn, save(chain.qj, submit=True), "accept")
    qj = decide(chain.yn, qj, "reopen", "数据需更正", when="2010-01-25")
    exception = LockException.objects.get(division__code="530300", period=period(Q4))
    assert (exception.open_until, exception.granted_by) == (dt.date(2010, 2, 1), chain.yn)
    assert ChangeRecord.objects.for_object(exception).get().action == "granted"
    assert save(chain.qj, {"cases_reported": 44}, submit=True, when="2010-02-01").state == "submitted"


def test_reopen_requests_stay_between_the_province_and_the_office(chain):
    with clock.travel(at("2010-01-25")):
        with pytest.raises(PermissionDenied):  # a prefecture asks its province instead
            reopen_request_create(actor=chain.qj, period=period(Q4), reason="系统故障")
        request = reopen_request_create(actor=chain.yn, period=period(Q4), reason="昆明市数据迟报")
        reopen_request_decide(actor=chain.office, request_id=request.pk, grant=True)
    assert ReopenRequest.objects.restrict(chain.qj).count() == 0
    prefectures_approved_late(chain)
    report = save(chain.yn, {}, submit=True, when="2010-01-27")
    assert report.state == "submitted"


def prefectures_approved_late(chain):
    """Every prefecture marked by the province after the lock date (the marks need no exception)."""
    mark_others(chain.yn, chain.yunnan, keep=set(), when="2010-01-26")


# --- nothing to report -------------------------------------------------------------------------


def test_nothing_to_report_is_marked_by_the_level_above_with_a_reason(chain, english):
    with pytest.raises(ValidationError) as refused:
        mark(chain.yn, "530300", reason="  ")
    assert set(refused.value.message_dict) == {"reason"}
    with pytest.raises(Http404):  # a sibling prefecture
        mark(chain.km, "530300")
    with pytest.raises(Http404):  # the province on a county: Kunming's to mark
        mark(chain.yn, "530102")
    with pytest.raises(Http404):  # a county has nobody below it
        mark(chain.wh, "530102")
    save(chain.qj, submit=True)
    with pytest.raises(WorkflowError, match="Qujing"):  # it has sent a report: decide on it
        mark(chain.yn, "530300")
    yuxi = mark(chain.yn, "530400", reason="本季度无案件", when="2010-01-07")
    assert (yuxi.marked_by, yuxi.marked_at.date(), yuxi.reason) == (
        chain.yn,
        dt.date(2010, 1, 7),
        "本季度无案件",
    )
    with pytest.raises(WorkflowError):
        mark(chain.yn, "530400")
    created = ChangeRecord.objects.for_object(yuxi).get()
    assert (created.action, created.actor, created.changes) == (
        "created",
        chain.yn,
        {"reason": [None, "本季度无案件"]},
    )
    with pytest.raises(Http404):  # only the level above clears it
        nothing_to_report_clear(actor=chain.yx, mark_id=yuxi.pk)
    with clock.travel(at("2010-01-08")):
        nothing_to_report_clear(actor=chain.yn, mark_id=yuxi.pk)
    assert not NothingToReport.objects.filter(pk=yuxi.pk).exists()
    deleted = ChangeRecord.objects.filter(object_id=yuxi.pk, action="deleted").get()
    assert (deleted.actor, deleted.at.date()) == (chain.yn, dt.date(2010, 1, 8))
    mark_others(chain.yn, chain.yunnan, keep={"530300", "530400"})
    with pytest.raises(WorkflowError, match="Yuxi"):  # counts as missing again
        save(chain.yn, {}, submit=True)


def test_a_division_marked_as_having_nothing_to_report_cannot_submit(chain, english):
    """Found in review: a division marked "nothing to report" could still submit a report, which
    the level above then left out of its totals without noticing."""
    mark(chain.yn, "530400")
    save(chain.yx, {"cases_reported": 2})  # a draft is its own business
    with pytest.raises(WorkflowError, match="nothing to report"):
        save(chain.yx, submit=True)
    assert QuarterlyReport.objects.get(division__code="530400").state == "draft"
    NothingToReport.objects.get(division__code="530400").delete()
    assert save(chain.yx, submit=True).state == "submitted"


# --- edge cases --------------------------------------------------------------------------------


def test_a_level_marked_as_having_nothing_to_report_still_locks_below_once_the_province_submits(chain):
    """Found in review: only the level directly above was looked at, so a county of a prefecture
    marked "nothing to report" could still report after the province had submitted."""
    mark_others(chain.yn, chain.yunnan, keep=set())  # Kunming too, although it collects
    province = save(chain.yn, {"cases_reported": 1}, submit=True)
    assert province.state == "submitted"
    with pytest.raises(WorkflowError, match="云南省"):
        save(chain.wh, {"cases_reported": 1})
    assert not QuarterlyReport.objects.filter(division__code="530102").exists()


def test_a_division_whose_level_above_reports_alone_has_no_report_to_make(chain, english):
    """Found in review: a prefecture of a province that reports alone could fill a report nobody
    decides on. Now refused, naming the level above; and when a level stops collecting, it
    reports alone again: it waits for nobody and its totals are its own figures."""
    make_agency("ATO-450100")
    nanning = make_user("chain_nn", Role.PROVINCE, agency="ATO-450100")  # Guangxi reports alone
    with pytest.raises(WorkflowError, match="Guangxi"):
        save(nanning)
    assert not QuarterlyReport.objects.filter(division__code="450100").exists()

    wh, _ = counties_approved(chain)
    CollectingDivision.objects.filter(division=chain.kunming).delete()
    with pytest.raises(WorkflowError, match="Kunming"):  # its counties no longer report
        save(chain.gd, {"cases_reported": 1})
    with pytest.raises(ValidationError) as refused:  # alone, every figure is needed
        save(chain.km, {"cases_reported": 3}, submit=True)
    assert "cases_solved" in refused.value.message_dict
    km = save(chain.km, good_values(cases_reported=47), submit=True)
    assert totals(km) == good_values(cases_reported=47)  # the approved counties are no longer added


def test_a_county_straight_under_a_province_reports_to_the_province(plan, office, settings):
    """仙桃市 (429004) is a county under 湖北省 itself, without a prefecture (prefecture_code None):
    when Hubei collects it reports to the province like a prefecture, and the province approves it."""
    hubei = Division.objects.get(code="420000")
    xiantao = Division.objects.get(code="429004")
    assert xiantao.prefecture_code is None and xiantao.parent == hubei
    CollectingDivision.objects.create(division=hubei)
    assert xiantao in reporting_children(hubei)
    for code in ("420000", "429004"):
        make_agency(f"ATO-{code}")
    province = make_user("chain_hb", Role.PROVINCE, agency="ATO-420000")
    county = make_user("chain_xt", Role.PROVINCE, agency="ATO-429004")
    for child in reporting_children(hubei):
        if child != xiantao:
            mark(province, child.code)
    with pytest.raises(WorkflowError, match="仙桃市"):
        save(province, {}, submit=True)
    report = save(county, good_values(cases_reported=32), submit=True)
    decide(province, report, "accept")
    assert totals(save(province, {}, submit=True))["cases_reported"] == 32


# --- concurrency -------------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_unapproving_while_the_level_submits_cannot_leave_a_submitted_level_over_an_unapproved_one(
    plan, office, settings
):
    """Found in review: the province's submission read its prefectures' states without a lock, so an
    unapproval committed meanwhile left the province submitted over a returned prefecture. Both
    now take the level's lock: the submission waits for the unapproval and then refuses."""
    settings.QUARTERLY_LOCK_DAYS = 7
    chain = Chain(office)
    km, qj = prefectures_approved(chain)
    save(chain.yn, {})  # the province's draft exists
    unapproved, released, outcome = threading.Event(), threading.Event(), {}

    def unapprove():
        try:
            with transaction.atomic():
                decide(chain.yn, qj, "reopen", "需要更正")
                unapproved.set()
                released.wait(10)
        finally:
            connection.close()

    def submit():
        try:
            save(chain.yn, {}, submit=True)
            outcome["result"] = "submitted"
        except WorkflowError as error:
            outcome["result"] = str(error)
        finally:
            connection.close()

    first = threading.Thread(target=unapprove)
    first.start()
    assert unapproved.wait(10)
    second = threading.Thread(target=submit)
    second.start()
    time.sleep(1)
    released.set()
    first.join(10)
    second.join(10)
    assert fresh(qj).state == "returned"
    assert "曲靖市" in outcome["result"]
    assert QuarterlyReport.objects.get(division=chain.yunnan).state == "draft"


def _hold_then(first_step, second_step):
    """Run ``first_step`` in a transaction of its own thread and keep it open while
    ``second_step`` starts in another thread; return what the second one raised or returned."""
    done, released, outcome = threading.Event(), threading.Event(), {}

    def first():
        try:
            with transaction.atomic():
                first_step()
                done.set()
                released.wait(10)
        finally:
            connection.close()

    def second():
        try:
            outcome["result"] = second_step()
        except Exception as error:  # noqa: BLE001 - the test reads what it was
            outcome["result"] = error
        finally:
            connection.close()

    one = threading.Thread(target=first)
    one.start()
    assert done.wait(10)
    two = threading.Thread(target=second)
    two.start()
    time.sleep(1)
    released.set()
    one.join(10)
    two.join(10)
    return outcome["result"]


@pytest.mark.django_db(transaction=True)
def test_a_mark_while_the_division_submits_cannot_leave_it_marked_and_submitted(plan, office, settings):
    """Found in review: a division's submission did not wait for its level above marking it
    "nothing to report" at the same moment; both went through, and the province would have left
    a submitted report out of its totals. The submission now takes the level above's lock."""
    settings.QUARTERLY_LOCK_DAYS = 7
    chain = Chain(office)
    save(chain.qj)  # a draft
    result = _hold_then(lambda: mark(chain.yn, "530300"), lambda: save(chain.qj, submit=True))
    assert isinstance(result, WorkflowError) and "曲靖市" in str(result)
    assert QuarterlyReport.objects.get(division__code="530300").state == "draft"


@pytest.mark.django_db(transaction=True)
def test_two_approvers_at_the_same_moment_one_approves_the_other_is_told(plan, office, settings):
    settings.QUARTERLY_LOCK_DAYS = 7
    chain = Chain(office)
    qj = save(chain.qj, submit=True)
    second = make_user("chain_yn2", Role.PROVINCE, agency="ATO-530000")
    seen = fresh(qj).version
    result = _hold_then(
        lambda: decide(chain.yn, qj, "accept", version=seen),
        lambda: decide(second, qj, "return", "有误", version=seen),
    )
    assert isinstance(result, EditConflict)
    assert fresh(qj).state == "accepted"
    assert [
        c.actor for c in ChangeRecord.objects.for_object(qj).filter(action__in=["approved", "returned"])
    ] == [chain.yn]
