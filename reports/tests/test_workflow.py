"""The quarterly workflow: transitions and refusals, locking and reopening, lateness, history."""

import datetime as dt
import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.urls import reverse
from django.utils.translation import override

from agencies.models import User
from core import clock
from core.models import ChangeRecord
from core.workflow import EditConflict, WorkflowError
from measures.models import Plan
from reports import services
from reports.models import QuarterlyReport, ReopenRequest
from reports.selectors.quarterly import province_quarters
from reports.services.quarterly import period_open_until
from tests.progress import at, period
from tests.quarterly import file_report, good_values

pytestmark = pytest.mark.django_db


def test_draft_submit_return_resubmit_accept_reopen(gx, office):
    report = file_report(gx, "2009Q3")
    report = file_report(gx, "2009Q3", values={}, version=report.version, submit=True)
    assert report.state == "submitted" and not report.is_late
    with clock.travel(at("2009-10-20")):
        report = services.quarterly_report_return(actor=office, report_id=report.pk, version=report.version,
                                                  comment="请补充情况说明")  # fmt: skip
    assert report.state == "returned"
    report = file_report(gx, "2009Q3", when="2009-10-21", values={"cases_solved": 31},
                         version=report.version, submit=True)  # fmt: skip
    assert report.state == "submitted" and not report.is_late  # timeliness is the first submission's
    report = services.quarterly_report_accept(actor=office, report_id=report.pk, version=report.version)
    assert report.state == "accepted"
    with pytest.raises(WorkflowError, match="不能再修改"):  # accepted reports are frozen
        file_report(gx, "2009Q3", when="2009-10-21", values={}, version=report.version)
    with pytest.raises(ValidationError):  # reopening needs a reason
        services.quarterly_report_reopen(
            actor=office, report_id=report.pk, version=report.version, comment=""
        )
    report = services.quarterly_report_reopen(actor=office, report_id=report.pk, version=report.version,
                                              comment="数据与公安部通报不一致")  # fmt: skip
    assert report.state == "returned"
    actions = [c.action for c in ChangeRecord.objects.for_object(report)]
    assert actions == ["created", "submitted", "returned", "edited", "resubmitted", "accepted", "reopened"]
    reopened = ChangeRecord.objects.for_object(report).get(action="reopened")
    assert reopened.comment == "数据与公安部通报不一致" and reopened.actor == office


def test_every_figure_change_is_in_the_history_with_old_and_new(gx):
    report = file_report(gx, "2009Q3")
    file_report(gx, "2009Q3", values={"cases_reported": 42, "cases_solved": 30}, version=report.version)
    edit = ChangeRecord.objects.for_object(report).get(action="edited")
    assert edit.changes == {"figures.cases_reported": [40, 42]}  # an unchanged value is not listed


@pytest.mark.parametrize(
    ("steps", "action"),
    [
        ([], "accept"),
        ([], "return"),
        (["submit"], "reopen"),
        (["submit", "accept"], "accept"),
        (["submit", "accept"], "return"),
    ],
)
def test_invalid_transitions_are_refused_with_the_state(gx, office, steps, action):
    report = file_report(gx, "2009Q3")
    for step in steps:
        if step == "submit":
            report = file_report(gx, "2009Q3", values={}, version=report.version, submit=True)
        else:
            report = services.quarterly_report_accept(
                actor=office, report_id=report.pk, version=report.version
            )
    service = {"accept": services.quarterly_report_accept, "return": services.quarterly_report_return,
               "reopen": services.quarterly_report_reopen}[action]  # fmt: skip
    with pytest.raises(WorkflowError) as error:
        service(actor=office, report_id=report.pk, version=report.version, comment="x")
    assert report.get_state_display() in str(error.value)
    assert QuarterlyReport.objects.get(pk=report.pk).state == report.state


def test_only_the_office_decides(gx, persona):
    report = file_report(gx, "2009Q3", submit=True)
    for name in ("auditor", "admin", "reporter_gx"):
        with pytest.raises(PermissionDenied):
            services.quarterly_report_accept(actor=persona(name), report_id=report.pk, version=report.version)


def test_two_people_saving_the_same_draft(gx, persona):
    report = file_report(gx, "2009Q3")
    opened = report.version
    file_report(gx, "2009Q3", values={"publicity_events": 11}, version=opened)
    with pytest.raises(EditConflict):
        file_report(gx, "2009Q3", values={"publicity_events": 12}, version=opened)
    assert QuarterlyReport.objects.get(pk=report.pk).values.get(figure__code="publicity_events").value == 11


def test_late_between_deadline_and_lock_then_locked(gx, persona, settings):
    settings.QUARTERLY_LOCK_DAYS = 7  # 2009 Q3: deadline 2009-10-15, locked from 2009-10-23
    late = file_report(gx, "2009Q3", when="2009-10-22", submit=True)
    assert late.is_late
    yn = persona("reporter_yn")
    with pytest.raises(services.PeriodLocked) as error:
        file_report(yn, "2009Q3", when="2009-10-23")
    assert "2009年10月23日" in str(error.value) and "重新开放" in str(error.value)
    assert not QuarterlyReport.objects.filter(province=yn.province).exists()


def test_reopening_request_granted_then_expires(persona, office, settings):
    yn = persona("reporter_yn")
    with clock.travel(at("2009-11-01")):
        with pytest.raises(ValidationError):
            services.reopen_request_create(actor=yn, period=period("2009Q3"), reason=" ")
        request = services.reopen_request_create(actor=yn, period=period("2009Q3"), reason="人员调整")
        with pytest.raises(WorkflowError):  # one pending request at a time
            services.reopen_request_create(actor=yn, period=period("2009Q3"), reason="再次申请")
        services.reopen_request_decide(actor=office, request_id=request.pk, grant=True,
                                       open_until=dt.date(2009, 11, 5))  # fmt: skip
    report = file_report(yn, "2009Q3", when="2009-11-05", submit=True)
    assert report.state == "submitted" and report.is_late
    with pytest.raises(services.PeriodLocked):
        file_report(persona("reporter_yn"), "2009Q3", when="2009-11-06", values={}, version=report.version)


def test_the_latest_granted_reopening_keeps_a_quarter_open_for_the_workflow_and_the_list_alike(
    persona, office, settings
):
    settings.QUARTERLY_LOCK_DAYS = 7  # 2009 Q3: deadline 2009-10-15, locked from 2009-10-23
    yn, gx, q3 = persona("reporter_yn"), persona("reporter_gx"), period("2009Q3")

    def open_until(user, today):
        quarters = {row.period.pk: row for row in province_quarters(user, Plan.objects.get(), today)}
        row = quarters[q3.pk]
        return period_open_until(user.agency.division, q3), row.open_until, row.is_open

    assert open_until(yn, dt.date(2009, 10, 22)) == (dt.date(2009, 10, 22),) * 2 + (True,)
    for asked, until in (("2009-11-01", dt.date(2009, 11, 20)), ("2009-11-25", dt.date(2009, 11, 28))):
        with clock.travel(at(asked)):
            request = services.reopen_request_create(actor=yn, period=q3, reason="人员调整")
            services.reopen_request_decide(actor=office, request_id=request.pk, grant=True, open_until=until)
    with clock.travel(at("2009-12-01")):  # a refused request changes nothing
        request = services.reopen_request_create(actor=yn, period=q3, reason="再次申请")
        services.reopen_request_decide(actor=office, request_id=request.pk, grant=False, comment="已过太久")
    # Two reopenings granted: the later date counts, wherever the rule is read.
    assert open_until(yn, dt.date(2009, 11, 28)) == (dt.date(2009, 11, 28),) * 2 + (True,)
    assert open_until(yn, dt.date(2009, 11, 29)) == (dt.date(2009, 11, 28),) * 2 + (False,)
    # Another province's reopenings are not Guangxi's: its quarter locks on its lock date.
    assert open_until(gx, dt.date(2009, 11, 1)) == (dt.date(2009, 10, 22),) * 2 + (False,)


def test_reopening_refused_needs_a_reason_and_keeps_the_lock(persona, office):
    yn = persona("reporter_yn")
    with clock.travel(at("2009-11-01")):
        request = services.reopen_request_create(actor=yn, period=period("2009Q3"), reason="请求")
        with pytest.raises(ValidationError):
            services.reopen_request_decide(actor=office, request_id=request.pk, grant=False)
        services.reopen_request_decide(actor=office, request_id=request.pk, grant=False, comment="已过太久")
        with pytest.raises(WorkflowError):
            services.reopen_request_decide(actor=office, request_id=request.pk, grant=True)
    assert ReopenRequest.objects.get(pk=request.pk).state == "refused"
    with pytest.raises(services.PeriodLocked):
        file_report(yn, "2009Q3", when="2009-11-02")


def test_an_open_quarter_needs_no_request(gx):
    with clock.travel(at("2009-10-05")), pytest.raises(WorkflowError, match="无需申请"):
        services.reopen_request_create(actor=gx, period=period("2009Q3"), reason="x")


def test_reopening_an_accepted_report_lets_the_province_correct_a_locked_quarter(gx, office):
    report = file_report(gx, "2009Q3", submit=True)
    report = services.quarterly_report_accept(actor=office, report_id=report.pk, version=report.version)
    with clock.travel(at("2010-01-06")):  # long after the lock
        report = services.quarterly_report_reopen(actor=office, report_id=report.pk, version=report.version,
                                                  comment="请核对解救人数")  # fmt: skip
    corrected = file_report(gx, "2009Q3", when="2010-01-08", values=good_values(children_rescued=16),
                            version=report.version, submit=True)  # fmt: skip
    assert corrected.state == "submitted"


def test_decisions_are_notified_to_the_province(gx, office):
    from core.models import Notification

    report = file_report(gx, "2009Q3", submit=True)
    services.quarterly_report_return(
        actor=office, report_id=report.pk, version=report.version, comment="请补充"
    )
    note = Notification.objects.get(user=gx)
    with override("zh-hans"):
        quarter = str(period("2009Q3"))  # as people write it (2009年第三季度)
    assert note.title_zh == f"{quarter}报告被退回：请修改后重新提交"
    assert (
        note.title_en.startswith("Your report for 2009 Q3 was returned")
        and note.body_zh == "办公室意见：请补充"
    )


def test_two_people_creating_the_same_report(gx, persona):
    file_report(gx, "2009Q3", version=0)  # the first creates it
    with pytest.raises(EditConflict):  # the second had opened the empty form too
        file_report(gx, "2009Q3", version=0, values=good_values(publicity_events=1))


def test_a_save_without_the_explanation_keeps_it(gx):
    values = good_values(trainings_held=10, persons_trained=5)
    report = file_report(gx, "2009Q3", values=values, warnings_comment="线上培训")
    report = file_report(gx, "2009Q3", values={"publicity_events": 3}, version=None)  # e.g. an upload
    assert report.warnings_comment == "线上培训"


def test_a_quarter_that_has_not_ended_cannot_be_submitted(persona):
    # On 2010-01-10, Yunnan's 2010 Q1 report: a draft may be saved, not submitted before 2010-04-01.
    yn = persona("reporter_yn")
    with pytest.raises(ValidationError) as refused:
        file_report(yn, "2010Q1", when="2010-01-10", submit=True)
    with override("zh-hans"):
        quarter = str(period("2010Q1"))
    assert refused.value.message_dict == {"period": [f"{quarter}尚未结束，其报告自2010年4月1日起方可提交。"]}
    assert not QuarterlyReport.objects.exists()  # nothing saved half-way
    with override("en"), pytest.raises(ValidationError) as refused:
        file_report(yn, "2010Q1", when="2010-03-31", submit=True)  # its last day: not yet
    [message] = refused.value.messages
    assert message == "2010 Q1 has not ended yet: its report can be submitted from 1 Apr 2010."
    draft = file_report(yn, "2010Q1", when="2010-01-10")  # a draft of the running quarter saves
    assert draft.state == "draft"
    submitted = file_report(yn, "2010Q1", when="2010-04-01", values={}, version=draft.version, submit=True)
    assert submitted.state == "submitted"


def test_the_page_and_the_api_refuse_it_and_say_from_when(persona, client_as, api_as):
    yn = persona("reporter_yn")
    url = reverse("reports:report_edit", kwargs={"period": "2010Q1"})
    form = {f"figure_{code}": value for code, value in good_values().items()}
    with clock.travel(at("2010-01-10")):
        client = client_as("reporter_yn")
        page = client.get(url).content.decode()
        assert 'id="not-ended"' in page and "2010年4月1日" in page
        assert 'name="submit"' not in page and 'name="save"' in page  # only a draft is offered
        refused = client.post(url, {**form, "submit": ""})  # a submission sent all the same
        assert refused.status_code == 200 and "其报告自2010年4月1日起方可提交" in refused.content.decode()
        assert not QuarterlyReport.objects.exists()
        assert client.post(url, {**form, "save": ""}).status_code == 302  # the draft is saved
        report = QuarterlyReport.objects.get(province=yn.province)
        api = api_as("reporter_yn")
        answer = api.post(
            f"/api/quarterly-reports/{report.pk}/submit/", {"version": report.version}, format="json"
        )
        assert answer.status_code == 400 and "2010年4月1日" in answer.json()["period"][0]
    report.refresh_from_db()
    assert report.state == "draft" and report.submitted_at is None


@pytest.mark.portal_date("2010-01-10")
def test_the_demo_leaves_yunnans_due_quarter_a_draft_to_finish():
    # On the demo's day, 2010-01-10, 2009 Q4 is due (2010-01-15): province.yn finds it as a draft.
    call_command("create_demo_users", force=True, stdout=io.StringIO())
    call_command("create_demo_quarterly", force=True, stdout=io.StringIO())
    yn = User.objects.get(username="province.yn")
    report = QuarterlyReport.objects.get(division__code="530000", period=period("2009Q4"))
    assert report.state == "draft" and report.submitted_at is None
    others = QuarterlyReport.objects.filter(period=period("2009Q4")).exclude(province__code="530000")
    assert others.filter(state="submitted").exists()  # the others' story is unchanged
    # Yunnan collects from its prefectures: it submits once they are done (the whole trial, down to
    # the submission, is in tests/test_demo_reporting_chain.py).
    with clock.travel(at("2010-01-10")), pytest.raises(WorkflowError, match="怒江傈僳族自治州"):
        services.quarterly_report_save(
            actor=yn, period=period("2009Q4"), values={}, narratives={}, version=report.version,
            submit=True, report_id=report.pk,
        )  # fmt: skip
