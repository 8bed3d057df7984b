"""The job runner's registry: each kind runs its handler; ``outputs`` are recorded with the result,
``finished`` runs once after the job is recorded as done and never after a failure or a lost lease;
a kind nobody registered, or a handler that raises, fails its job with the reason. The app's start-up
may run twice (tests, autoreload) and still leaves one handler per kind.

The jobs are made with ``Job.objects.create`` (not ``job_create``) so that no worker receives them,
and run in this process with the runner itself (``job_run``)."""

import pytest
from django.apps import apps
from django.db.models import F
from django.urls import reverse

from core.models import Notification
from reports.choices import JobKind, JobStatus
from reports.models import Job
from reports.services.jobs import HANDLERS, JobHandler, job_run, register
from tests.compiled import known_data, start

pytestmark = pytest.mark.django_db

KIND = "registry_test"


class Calls:
    """What a test handler was asked to do, in order."""

    def __init__(self):
        self.finished: list[int] = []

    def done(self, job: Job) -> None:
        self.finished.append(job.pk)


def a_job(owner=None) -> Job:
    return Job.objects.create(kind=KIND, owner=owner, params={"language": "en"})


def test_starting_the_app_again_keeps_one_handler_per_kind_and_a_report_tells_its_owner_once(persona):
    before = dict(HANDLERS)
    assert set(before) >= set(JobKind.values)
    apps.get_app_config("reports").ready()
    assert HANDLERS == before

    office = known_data(persona)
    job = start(office, JobKind.QUARTERLY_REPORT)
    job_run(job.pk)
    job.refresh_from_db()
    assert job.status == JobStatus.SUCCEEDED and job.pdf and job.xlsx
    link = reverse("reports:job", kwargs={"pk": job.pk})
    assert Notification.objects.filter(user=office, link=link).count() == 1


def test_outputs_are_recorded_with_the_result_and_finished_runs_once_after(persona, monkeypatch):
    calls = Calls()

    def run(job: Job) -> dict:
        job.pdf.name, job.xlsx.name = "reports/test/out.pdf", "reports/test/not-an-output.xlsx"
        assert calls.finished == []  # not before the job is recorded
        return {"rows": 3}

    monkeypatch.setitem(HANDLERS, KIND, JobHandler(run, calls.done, outputs=("pdf",)))
    job = a_job(persona("office"))
    job_run(job.pk)
    job.refresh_from_db()
    assert (job.status, job.result, job.progress) == (JobStatus.SUCCEEDED, {"rows": 3}, 100)
    assert job.pdf.name == "reports/test/out.pdf" and job.xlsx.name == ""  # only what outputs name
    assert calls.finished == [job.pk]
    job_run(job.pk)  # a second message for a finished job claims nothing and tells no one again
    assert calls.finished == [job.pk]


def test_a_handler_without_finished_or_outputs_succeeds(monkeypatch):
    monkeypatch.setitem(HANDLERS, KIND, JobHandler(run=lambda job: {"ok": True}))
    job = a_job()
    job_run(job.pk)
    job.refresh_from_db()
    assert (job.status, job.result, job.pdf.name) == (JobStatus.SUCCEEDED, {"ok": True}, "")


def test_a_handler_that_raises_fails_its_job_with_the_reason_and_finished_never_runs(monkeypatch):
    calls = Calls()

    def run(job: Job) -> dict:
        raise ValueError("row 7: not a number")

    monkeypatch.setitem(HANDLERS, KIND, JobHandler(run, calls.done, outputs=("pdf",)))
    job = a_job()
    job_run(job.pk)
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED and job.result == {"error": "row 7: not a number"}
    assert "ValueError: row 7: not a number" in job.log
    assert calls.finished == []


def test_a_kind_nobody_registered_fails_its_job_and_says_which():
    job = Job.objects.create(kind="nobody_registered_this", params={"language": "en"})
    job_run(job.pk)
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED and "nobody_registered_this" in job.log


def test_an_outcome_after_the_lease_was_lost_is_dropped_and_finished_does_not_run(monkeypatch):
    calls = Calls()

    def run(job: Job) -> dict:
        # Meanwhile another worker took the job over (its claim counted a new attempt).
        Job.objects.filter(pk=job.pk).update(attempts=F("attempts") + 1)
        job.pdf.name = "reports/test/late.pdf"
        return {"late": True}

    monkeypatch.setitem(HANDLERS, KIND, JobHandler(run, calls.done, outputs=("pdf",)))
    job = a_job()
    job_run(job.pk)
    job.refresh_from_db()
    assert (job.status, job.result, job.pdf.name) == (JobStatus.RUNNING, {}, "")
    assert calls.finished == []


def test_register_twice_keeps_the_last_handler(monkeypatch):
    monkeypatch.delitem(HANDLERS, KIND, raising=False)
    register(KIND, run=lambda job: {"first": True})
    register(KIND, run=lambda job: {"second": True})
    try:
        job = a_job()
        job_run(job.pk)
        job.refresh_from_db()
        assert job.result == {"second": True}
    finally:
        HANDLERS.pop(KIND)
