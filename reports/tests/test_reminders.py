"""Reminders before and after the deadline, sent by a real Celery worker, once each and never twice."""

import time

import pytest

from core.models import Notification
from reports.models import ReportReminder
from reports.services.reminders import reminders_send
from reports.tasks import send_report_reminders
from tests.jobs import wait_for
from tests.progress import at
from tests.quarterly import file_report

pytestmark = pytest.mark.django_db


@pytest.fixture
def reporters(persona):
    return persona("reporter_gx"), persona("reporter_yn")


def test_who_is_reminded_and_when(reporters, settings):
    settings.REMINDER_DAYS_BEFORE, settings.REMINDER_DAYS_AFTER = 3, 1
    gx, yn = reporters
    file_report(gx, "2009Q3", when="2009-10-05", submit=True)  # Guangxi submitted: no reminder
    assert reminders_send(today=at("2009-10-11").date()) == 0  # too early (deadline 10-15)
    assert reminders_send(today=at("2009-10-12").date()) == 30  # 3 days before: 31 provinces less Guangxi
    assert reminders_send(today=at("2009-10-13").date()) == 0  # already reminded
    assert reminders_send(today=at("2009-10-16").date()) == 30  # 1 day after
    assert reminders_send(today=at("2009-10-17").date()) == 0
    assert not ReportReminder.objects.filter(province=gx.province).exists()
    notes = Notification.objects.filter(user=yn).order_by("created_at")
    assert [n.title_zh for n in notes] == [
        "2009年第三季度报告将于2009年10月15日截止",
        "2009年第三季度报告已逾期",
    ]
    assert notes[0].title_en == "The quarterly report for 2009 Q3 is due on 15 Oct 2009"
    assert notes[0].link == "/reports/quarterly/2009Q3/edit/"


def test_reminder_mail_where_configured(reporters, mailoutbox, django_capture_on_commit_callbacks):
    gx, yn = reporters
    yn.email = "yunnan@example.gov.cn"
    yn.save()
    with django_capture_on_commit_callbacks(execute=True):
        reminders_send(today=at("2009-10-12").date())
    assert [m.to for m in mailoutbox] == [["yunnan@example.gov.cn"]]
    assert "截止" in mailoutbox[0].subject and "is due" in mailoutbox[0].subject


def test_unread_notifications_in_the_top_bar(client_as, reporters):
    reminders_send(today=at("2009-10-12").date())
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
    first = send_report_reminders.delay(today="2009-10-12")
    second = send_report_reminders.delay(today="2009-10-12")
    reminders_send(today=at("2009-10-12").date())
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
    assert ReportReminder.objects.filter(kind="before").count() == 31
    assert Notification.objects.count() == 2  # one each for the Guangxi and Yunnan reporters
