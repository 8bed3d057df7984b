"""Reminders that escalate, step by step as the data says (the division itself 7 days before the
deadline and 3 days after, the level above on the day the quarter locks, the IMCS Office a week
later), about every reporting division that has not submitted: once per quarter and step, never
twice, not after the division submitted; sent by a real Celery worker too."""

import datetime as dt
import time
from importlib import import_module

import pytest
from django.urls import reverse

from agencies.choices import Role
from agencies.models import Division
from core import clock
from core.models import Notification
from reports.models import CollectingDivision, ReminderStep, ReportReminder
from reports.services.chain import nothing_to_report_mark
from reports.services.reminders import DEFAULT_STEPS, reminder_steps_default, reminders_send
from reports.tasks import send_report_reminders
from tests.jobs import wait_for
from tests.personas import make_agency, make_user
from tests.progress import at, period
from tests.quarterly import file_report

pytestmark = pytest.mark.django_db

XSBN = "532800"  # 西双版纳傣族自治州, collecting from its three counties


@pytest.fixture(autouse=True)
def steps(db):
    # Migration 0006 seeds them; a transactional test before this one may have emptied the table.
    return reminder_steps_default()


@pytest.fixture
def reporters(persona):
    return persona("reporter_gx"), persona("reporter_yn")


def reporter(code: str):
    return make_user(f"r{code}", Role.PROVINCE, agency=make_agency(f"ATO-{code}").code)


def run(day: str) -> tuple[int, int]:
    """The daily task run twice on ``day``: what each run sent."""
    with clock.travel(at(day)):
        return reminders_send(today=at(day).date()), reminders_send(today=at(day).date())


def test_the_default_steps(steps):
    seeded = import_module("reports.migrations.0006_reminder_steps").DEFAULT_STEPS
    assert [(o, d, str(r)) for o, d, r in DEFAULT_STEPS] == seeded  # the migration's are the same
    assert [(s.order, s.days, s.recipient, s.active) for s in steps] == [
        (1, -7, "division", True),
        (2, 3, "division", True),
        (3, 7, "level_above", True),
        (4, 14, "office", True),
    ]


def test_escalation_day_by_day(persona, reporters):
    # 2009 Q3: deadline 15 October, locked after the 22nd. Yunnan collects from its 16 prefectures,
    # 西双版纳 from its 3 counties: 31 provinces + 16 + 3 reporting divisions.
    gx, yn = reporters
    office = persona("office")
    for code in ("530000", XSBN):
        CollectingDivision.objects.create(division=Division.objects.get(code=code))
    kunming, qujing, xsbn = reporter("530100"), reporter("530300"), reporter(XSBN)
    sent = {}
    day = dt.date(2009, 9, 25)
    while day <= dt.date(2009, 11, 20):
        if day == dt.date(2009, 10, 10):
            file_report(kunming, "2009Q3", when="2009-10-10", submit=True)  # on time
        if day == dt.date(2009, 10, 17):
            file_report(gx, "2009Q3", when="2009-10-17", submit=True)  # late, before the second step
        if day == dt.date(2009, 10, 20):
            with clock.travel(at("2009-10-20")):
                nothing_to_report_mark(
                    actor=yn,
                    division_id=Division.objects.get(code="530600").pk,
                    period=period("2009Q3"),
                    reason="本季度未发生拐卖案件。",
                )
        first, again = run(day.isoformat())
        assert again == 0, day  # the same day twice: nothing the second time
        if first:
            sent[day.isoformat()] = first
        day += dt.timedelta(days=1)
    assert sent == {
        "2009-10-08": 50,  # step 1, to every division: nobody has submitted yet
        "2009-10-18": 48,  # step 2: Kunming and Guangxi have submitted
        "2009-10-22": 47,  # step 3, to the level above: Zhaotong has nothing to report
        "2009-10-29": 47,  # step 4, to the Office
    }
    assert ReportReminder.objects.count() == 50 + 48 + 47 + 47  # one row per division and step

    def told(user):
        return list(Notification.objects.filter(user=user).order_by("created_at", "id"))

    # Guangxi: told before the deadline, and not again once it submitted.
    assert [(n.title_zh, n.title_en, n.link) for n in told(gx)] == [
        (
            "广西壮族自治区2009年第三季度报告将于2009年10月15日截止",
            "The quarterly report of Guangxi Zhuang Autonomous Region for 2009 Q3 is due on 15 Oct 2009",
            "/reports/quarterly/2009Q3/edit/",
        )
    ]
    assert len(told(kunming)) == 1
    # Qujing never submits: told twice itself; then its province, then the Office, once each.
    assert [n.title_zh for n in told(qujing)] == [
        "曲靖市2009年第三季度报告将于2009年10月15日截止",
        "曲靖市2009年第三季度报告已逾期",
    ]
    assert "本季度于2009年10月22日后锁定" in told(qujing)[1].body_zh
    about_qujing = [n for n in told(yn) if n.title_en.startswith("Qujing Shi")]
    assert [(n.title_zh, n.title_en, n.link, n.created_at.date()) for n in about_qujing] == [
        (
            "曲靖市未按期提交2009年第三季度报告",
            "Qujing Shi has not submitted its report for 2009 Q3",
            "/reports/completeness/530000/?year=2009",
            dt.date(2009, 10, 22),
        )
    ]
    assert "截止日期为2009年10月15日" in about_qujing[0].body_zh
    # Yunnan: its own report twice, and each of its 14 prefectures still missing once (not Kunming,
    # which submitted, nor Zhaotong, which has nothing to report).
    assert len(told(yn)) == 2 + 14
    assert not any(n.title_zh.startswith(("昆明市", "昭通市")) for n in told(yn))
    # 西双版纳: its own report twice, and each of its three counties once.
    assert len(told(xsbn)) == 2 + 3
    assert {n.link for n in told(xsbn)[2:]} == {f"/reports/completeness/{XSBN}/?year=2009"}
    # The Office: the 30 provinces still missing as the level above (22 October), then everything
    # still missing as the last step (29 October), each once.
    office_notes = told(office)
    assert len(office_notes) == 30 + 47
    assert {n.created_at.date() for n in office_notes[:30]} == {dt.date(2009, 10, 22)}
    assert office_notes[0].link == "/reports/completeness/?year=2009"
    about_qujing = [n for n in office_notes if n.title_zh.startswith("曲靖市")]
    assert [n.created_at.date() for n in about_qujing] == [dt.date(2009, 10, 29)]
    assert about_qujing[0].link == "/reports/completeness/530000/?year=2009"


def test_steps_are_data_edited_in_the_admin(client_as, reporters):
    gx, yn = reporters
    first, second, third, fourth = ReminderStep.objects.all()
    client = client_as("admin")
    assert client.get(reverse("admin:reports_reminderstep_changelist")).status_code == 200
    url = reverse("admin:reports_reminderstep_change", args=[first.pk])
    refused = client.post(url, {"order": 1, "days": 400, "recipient": "division", "active": "on"})
    assert refused.status_code == 200
    assert "days" in refused.context["adminform"].form.errors
    first.refresh_from_db()
    assert first.days == -7  # nothing saved
    answer = client.post(url, {"order": 1, "days": -2, "recipient": "division", "active": "on"})
    assert answer.status_code == 302
    client.post(
        reverse("admin:reports_reminderstep_change", args=[second.pk]),
        {"order": 2, "days": 3, "recipient": "division"},  # unticked: no longer active
    )
    assert [s.active for s in ReminderStep.objects.all()] == [True, False, True, True]
    assert run("2009-10-08") == (0, 0)  # a week before: no longer a step
    assert run("2009-10-13") == (31, 0)  # two days before
    assert run("2009-10-18") == (0, 0)  # the second step is off
    assert Notification.objects.filter(user=yn).count() == 1
    sent = client.get(reverse("admin:reports_reportreminder_changelist")).content.decode()
    assert "云南省" in sent and "广西壮族自治区" in sent  # the reminders sent, to read


def test_reminder_mail_where_configured(reporters, mailoutbox, django_capture_on_commit_callbacks):
    gx, yn = reporters
    yn.email = "yunnan@example.gov.cn"
    yn.save()
    with django_capture_on_commit_callbacks(execute=True):
        reminders_send(today=at("2009-10-08").date())
    assert [m.to for m in mailoutbox] == [["yunnan@example.gov.cn"]]
    assert "截止" in mailoutbox[0].subject and "is due" in mailoutbox[0].subject
    assert "云南省" in mailoutbox[0].subject and "Yunnan Province" in mailoutbox[0].subject


def test_unread_notifications_in_the_top_bar(client_as, reporters):
    reminders_send(today=at("2009-10-08").date())
    client = client_as("reporter_yn")
    body = client.get("/provinces/").content.decode()
    assert 'class="badge unread-count">1<' in body
    page = client.get("/notifications/").content.decode()
    assert "报告将于2009年10月15日截止" in page
    assert "unread-count" not in client.get("/provinces/").content.decode()


@pytest.mark.django_db(transaction=True)
def test_a_real_worker_sends_each_reminder_once(reporters, celery_worker_process):
    # Two deliveries of the daily task, run by the worker one after the other and a third in this
    # process at the same time: every province is reminded exactly once.
    first = send_report_reminders.delay(today="2009-10-08")
    second = send_report_reminders.delay(today="2009-10-08")
    reminders_send(today=at("2009-10-08").date())
    wait_for(
        lambda: ReportReminder.objects.count() >= 31 and Notification.objects.count() >= 2,
        timeout=30,
        message="the worker sent nothing",
    )
    # Let both deliveries finish. Nothing can be waited on here: results are not kept
    # (CELERY_TASK_IGNORE_RESULT) and a delivery that rightly finds nothing left to send leaves no
    # trace, so the test gives a wrong second sending time to happen before it counts.
    time.sleep(1.5)
    assert first.id != second.id
    assert ReportReminder.objects.count() == 31
    assert ReportReminder.objects.filter(step__order=1).count() == 31
    assert Notification.objects.count() == 2  # one each for the Guangxi and Yunnan reporters
