"""Compiled reports: a real worker compiles each kind from known data; the figures are read back from
the PDF's text and the XLSX's cells. Scope and permissions on starting and downloading."""

import datetime as dt

import pytest
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from core import clock
from core.models import Notification
from measures.models import Plan
from reports.choices import JobKind, JobStatus
from reports.models import Job
from reports.services.compiled.build import build
from reports.services.compiled.spec import report_spec
from reports.services.jobs import job_retry, job_run
from reports.tasks import compile_scheduled_reports
from tests.compiled import (
    MCA_NOTE,
    MCA_SELF,
    OFFICE_VIEW,
    known_data,
    pdf_text,
    row_starting,
    start,
    xlsx_rows,
)
from tests.jobs import wait_until
from tests.progress import at, log_entry
from tests.quarterly import file_report

GX = "广西壮族自治区"


@pytest.mark.django_db(transaction=True)
def test_a_real_worker_compiles_each_kind_and_the_files_say_the_figures(persona, celery_worker_process):
    office = known_data(persona)
    jobs = {
        "quarterly": start(office, JobKind.QUARTERLY_REPORT),
        "annual": start(office, JobKind.ANNUAL_REPORT, period="2009", language="en"),
        "province": start(persona("reporter_gx"), JobKind.PROVINCE_REPORT),
        "unit": start(persona("liaison_mca"), JobKind.UNIT_REPORT, language="en"),
        "mid_term": start(office, JobKind.MID_TERM_EVALUATION, period="2010Q1"),
        "final": start(office, JobKind.FINAL_EVALUATION, period="2009Q4", language="en"),
    }
    for job in jobs.values():
        assert wait_until(job).status == JobStatus.SUCCEEDED, job.log

    quarterly = pdf_text(jobs["quarterly"].pdf.read())
    assert "季度进展报告" in quarterly and "75.0%" in quarterly and "50.0%" in quarterly
    assert MCA_NOTE in quarterly and "云南省" in quarterly  # Yunnan is named as missing
    rows = xlsx_rows(jobs["quarterly"].xlsx.read())
    assert row_starting(rows, GX)[1:6] == (40, 30, 0.75, 0.5, 0.25)
    assert round(row_starting(rows, GX)[8], 3) == 0.857
    assert row_starting(rows, "云南省")[1] == "未报送"  # nothing sent is not a zero
    assert "2009年第四季度报告已采纳的省份" in quarterly and "未计入（已报送、尚未采纳）" in quarterly
    assert any("个案统计" in title for title in rows)  # one sheet per section

    annual = pdf_text(jobs["annual"].pdf.read())
    assert "Annual report" in annual and "Guangxi" in annual and "75.0%" in annual

    province = pdf_text(jobs["province"].pdf.read())
    assert "75.0%" in province and "开展打击专项行动" in province
    assert "云南" not in province  # a province's report holds that province only
    assert row_starting(xlsx_rows(jobs["province"].xlsx.read()), GX)[1:3] == (40, 30)

    unit = pdf_text(jobs["unit"].pdf.read())
    assert MCA_NOTE in unit and "Ministry of Civil Affairs" in unit
    assert "Ministry of Public Security" not in unit and "Guangxi" not in unit

    mid_term = pdf_text(jobs["mid_term"].pdf.read())
    assert "中期评估报告" in mid_term and MCA_SELF in mid_term and OFFICE_VIEW in mid_term
    assert "已实现" in mid_term and "基本实现" in mid_term  # the unit's rating, the Office's
    evaluation = next(
        rows for title, rows in xlsx_rows(jobs["mid_term"].xlsx.read()).items() if "评估" in title
    )
    assert ("2.(1)-b", "民政部", "已实现", MCA_SELF, "基本实现", OFFICE_VIEW) in evaluation
    final = pdf_text(jobs["final"].pdf.read())
    assert "Final evaluation report" in final and "still open" in final and MCA_SELF not in final


def test_the_same_report_is_not_started_twice(persona):
    office = known_data(persona)
    first = start(office, JobKind.QUARTERLY_REPORT)
    again = start(office, JobKind.QUARTERLY_REPORT)
    assert again.pk == first.pk and Job.objects.count() == 1
    assert start(office, JobKind.QUARTERLY_REPORT, language="en").pk != first.pk  # another language
    # Two workers racing past the check: the database refuses the second row.
    with pytest.raises(IntegrityError), transaction.atomic():
        Job.objects.create(kind=first.kind, key=first.key, period=first.period, language="zh-hans")
    # Done: still not again. Failed: it may be retried, as the same row.
    job_run(first.pk)
    assert start(office, JobKind.QUARTERLY_REPORT).pk == first.pk
    Job.objects.filter(pk=first.pk).update(status=JobStatus.FAILED)
    first.refresh_from_db()
    job_retry(first, office)
    first.refresh_from_db()
    assert first.status == JobStatus.QUEUED and "office" in first.log


def test_a_job_that_fails_says_why_and_can_be_retried_from_its_page(persona, client_as):
    office = known_data(persona)
    job = start(office, JobKind.QUARTERLY_REPORT)
    Job.objects.filter(pk=job.pk).update(
        status=JobStatus.FAILED, result={"error": "disk full"}, log="OSError: disk full\n"
    )
    client = client_as("office")
    page = client.get(reverse("reports:job", kwargs={"pk": job.pk})).content.decode()
    assert "disk full" in page and reverse("reports:job_retry", kwargs={"pk": job.pk}) in page
    assert client.post(reverse("reports:job_retry", kwargs={"pk": job.pk})).status_code == 302
    job.refresh_from_db()
    assert job.status == JobStatus.QUEUED
    # Someone who may read the report but not start it is refused (403); who may not read it: 404.
    retry = reverse("reports:job_retry", kwargs={"pk": job.pk})
    assert client_as("auditor").post(retry).status_code == 403
    assert client_as("reporter_gx").post(retry).status_code == 404


def test_who_may_see_start_and_download_which_report(persona, client_as):
    known_data(persona)
    gx, mca = persona("reporter_gx"), persona("liaison_mca")
    national = start(persona("office"), JobKind.QUARTERLY_REPORT)
    gx_report = start(gx, JobKind.PROVINCE_REPORT, province="530000")  # asks for Yunnan: gets its own
    assert gx_report.province == gx.province
    unit_report = start(mca, JobKind.UNIT_REPORT, unit="MPS")
    assert unit_report.unit == mca.unit
    for job in (national, gx_report, unit_report):
        job_run(job.pk)

    def download(name, job):
        return (
            client_as(name).get(reverse("reports:job_file", kwargs={"pk": job.pk, "fmt": "pdf"})).status_code
        )

    assert [download("office", j) for j in (national, gx_report, unit_report)] == [200, 200, 200]
    assert [download("auditor", j) for j in (national, gx_report, unit_report)] == [200, 200, 200]
    assert [download("reporter_gx", j) for j in (national, gx_report, unit_report)] == [404, 200, 404]
    assert [download("reporter_yn", j) for j in (national, gx_report, unit_report)] == [404, 404, 404]
    assert [download("liaison_mca", j) for j in (national, gx_report, unit_report)] == [404, 404, 200]
    assert [download("case_mps", j) for j in (national, gx_report, unit_report)] == [404, 404, 404]
    page = client_as("reporter_yn").get(reverse("reports:job", kwargs={"pk": gx_report.pk}))
    assert page.status_code == 404
    listing = client_as("reporter_gx").get(reverse("reports:compiled")).content.decode()
    assert reverse("reports:job", kwargs={"pk": gx_report.pk}) in listing
    assert reverse("reports:job", kwargs={"pk": national.pk}) not in listing
    # A province cannot start a national report: the kind is refused, naming the field.
    with pytest.raises(ValidationError) as error:
        report_spec(
            gx, plan=Plan.objects.get(), kind=JobKind.QUARTERLY_REPORT, period="2009Q4", language="en"
        )
    assert "kind" in error.value.message_dict


def test_the_form_names_each_wrong_field_and_starts_nothing(persona, client_as):
    persona("office")
    response = client_as("office").post(
        reverse("reports:compiled"),
        {"kind": JobKind.PROVINCE_REPORT, "period": "2009Q9", "language": "zh-hans", "province": ""},
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert set(form.errors) == {"period", "province"}
    assert not Job.objects.exists()
    assert 'value="2009Q9"' in response.content.decode()  # what was typed is kept


def test_the_office_starts_a_report_from_the_page_and_again_lands_on_the_same_job(persona, client_as):
    persona("office")
    client = client_as("office")
    data = {"kind": JobKind.QUARTERLY_REPORT, "period": "2009Q4", "language": "zh-hans"}
    first = client.post(reverse("reports:compiled"), data)
    second = client.post(reverse("reports:compiled"), data, follow=True)
    job = Job.objects.get()
    assert first.url == second.redirect_chain[0][0] == reverse("reports:job", kwargs={"pk": job.pk})
    assert job.owner.username == "office" and job.key == "quarterly_report:2008-2012:2009Q4:national:zh-hans"


def test_the_schedule_compiles_each_quarter_once_some_days_after_its_deadline(persona, settings):
    settings.REPORT_DAYS_AFTER_DEADLINE = 10
    office = persona("office")
    period = Plan.objects.get().periods.get(year=2009, quarter=4)
    beat = settings.CELERY_BEAT_SCHEDULE["scheduled-reports"]
    assert beat["task"] == compile_scheduled_reports.name  # beat runs it daily
    # The Office compiled the Chinese report early, before the deadline.
    with clock.travel(at("2010-01-10")):
        early = start(office, JobKind.QUARTERLY_REPORT)
        job_run(early.pk)

    def on(days_after_deadline: int) -> int:
        day = period.deadline + dt.timedelta(days=days_after_deadline)
        with clock.travel(at(day.isoformat())):
            return compile_scheduled_reports(day.isoformat())

    assert on(9) == 0
    assert on(10) == 2  # in Chinese (the early one superseded) and in English
    early.refresh_from_db()
    assert early.status == JobStatus.SUPERSEDED
    scheduled = Job.objects.filter(owner=None, status=JobStatus.QUEUED)
    assert sorted(scheduled.values_list("language", flat=True)) == ["en", "zh-hans"]
    assert {(j.kind, j.period) for j in scheduled} == {(JobKind.QUARTERLY_REPORT, period)}
    assert on(11) == 0 and Job.objects.count() == 3  # not twice
    job = scheduled.get(language="zh-hans")
    job_run(job.pk)
    assert Notification.objects.filter(user=office, link__endswith=f"/jobs/{job.pk}/").count() == 1


@pytest.mark.parametrize(
    "kind, scope",
    [
        (JobKind.QUARTERLY_REPORT, {}),
        (JobKind.ANNUAL_REPORT, {}),
        (JobKind.MID_TERM_EVALUATION, {}),
        (JobKind.PROVINCE_REPORT, {"province": "450000"}),
        (JobKind.UNIT_REPORT, {"unit": "MCA"}),
    ],
)
def test_each_kind_costs_the_same_queries_whatever_the_data(persona, kind, scope):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    office = known_data(persona)
    spec = report_spec(office, plan=Plan.objects.get(), kind=kind, period="2009Q4", language="en", **scope)

    def queries() -> int:
        cache.clear()  # the case statistics' cube is kept in the cache: count the query that makes it
        with CaptureQueriesContext(connection) as captured:
            build(spec, lambda percent, line: None)
        return len(captured.captured_queries)

    small = queries()
    file_report(persona("reporter_yn"), "2009Q4", when="2010-01-06", submit=True)
    file_report(persona("reporter_gx"), "2009Q3", when="2009-10-06", submit=True)
    for ref in ("4.1.a", "4.1.b", "4.2.a"):
        log_entry(persona("liaison_mca"), ref, "2009Q4", when="2010-01-04", submit=True)
    assert queries() == small


def test_hostile_text_reaches_the_files_as_text(persona):
    """A narrative with a formula, markup and a control character: the XLSX holds it as text, the
    PDF prints it, nothing runs and the job does not fail."""
    office = known_data(persona)
    hostile = '=HYPERLINK("http://x")<script>alert(1)</script>\x0bline'
    log_entry(persona("liaison_mca"), "4.1.a", "2009Q4", when="2010-01-04", submit=True, narrative=hostile)
    job = start(office, JobKind.QUARTERLY_REPORT)
    job_run(job.pk)
    job.refresh_from_db()
    assert job.status == JobStatus.SUCCEEDED, job.log
    cells = [cell for rows in xlsx_rows(job.xlsx.read()).values() for row in rows for cell in row]
    assert '\'=HYPERLINK("http://x")<script>alert(1)</script> line' in cells
    assert "<script>alert(1)</script>" in pdf_text(job.pdf.read()).replace("\n", "")


def test_the_page_of_a_finished_report_offers_its_two_files(persona, client_as):
    office = known_data(persona)
    job = start(office, JobKind.QUARTERLY_REPORT)
    job_run(job.pk)
    client = client_as("office")
    page = client.get(reverse("reports:job", kwargs={"pk": job.pk}))
    assert page.status_code == 200
    html = page.content.decode()
    for fmt in ("pdf", "xlsx"):
        assert reverse("reports:job_file", kwargs={"pk": job.pk, "fmt": fmt}) in html
    status = client.get(reverse("reports:job_status", kwargs={"pk": job.pk})).json()
    assert status["finished"] and status["progress"] == 100
    xlsx = client.get(reverse("reports:job_file", kwargs={"pk": job.pk, "fmt": "xlsx"}))
    assert xlsx["Content-Type"].startswith("application/vnd.openxmlformats")
    assert 'filename="quarterly_report_2008-2012_2009Q4_national_zh-hans.xlsx"' in xlsx["Content-Disposition"]


def test_retrying_a_failed_report_started_again_meanwhile_gives_the_live_one(persona, client_as):
    office = known_data(persona)
    failed = start(office, JobKind.QUARTERLY_REPORT)
    Job.objects.filter(pk=failed.pk).update(status=JobStatus.FAILED)
    again = start(office, JobKind.QUARTERLY_REPORT)
    assert again.pk != failed.pk
    assert job_retry(failed, office).pk == again.pk
    failed.refresh_from_db()
    assert failed.status == JobStatus.FAILED  # not a second live row
    response = client_as("office").post(reverse("reports:job_retry", kwargs={"pk": failed.pk}))
    assert response.url == reverse("reports:job", kwargs={"pk": again.pk})


def test_compiling_again_keeps_the_old_report_superseded(persona, client_as):
    office = known_data(persona)
    first = start(office, JobKind.QUARTERLY_REPORT)
    job_run(first.pk)
    client = client_as("office")
    response = client.post(reverse("reports:job_compile_again", kwargs={"pk": first.pk}))
    first.refresh_from_db()
    second = Job.objects.exclude(pk=first.pk).get()
    assert response.url == reverse("reports:job", kwargs={"pk": second.pk})
    assert first.status == JobStatus.SUPERSEDED and second.status == JobStatus.QUEUED
    old = client.get(reverse("reports:job_file", kwargs={"pk": first.pk, "fmt": "pdf"}))
    assert old.status_code == 200  # what leadership was handed stays readable
    page = client.get(reverse("reports:job", kwargs={"pk": first.pk})).content.decode()
    assert reverse("reports:job", kwargs={"pk": second.pk}) in page
    assert (
        client_as("reporter_gx")
        .post(reverse("reports:job_compile_again", kwargs={"pk": second.pk}))
        .status_code
        == 404
    )


def test_reports_follow_the_scope_of_the_role_not_who_started_them(persona, client_as):
    office = known_data(persona)
    national = start(office, JobKind.QUARTERLY_REPORT)
    office.role, office.agency = "province", persona("reporter_yn").agency
    office.save()
    assert not Job.objects.restrict(office).filter(pk=national.pk).exists()


def test_case_statistics_count_the_persons_rescued_in_the_reports_quarters(persona, settings):
    from tests.cases import open_case

    settings.CASE_STATISTICS_THRESHOLD = 1  # show every count, to check which cases are counted
    officer = persona("case_mps")
    rescues = [dt.date(2009, 10, 5), dt.date(2009, 12, 30), dt.date(2009, 6, 1)]  # the last outside Q4
    for n, day in enumerate(rescues):
        open_case(officer, rescued_on=day, id_number=f"45010220050101{n:04d}", name=f"测试{n}")
    spec = report_spec(
        persona("office"),
        plan=Plan.objects.get(),
        kind=JobKind.QUARTERLY_REPORT,
        period="2009Q4",
        language="en",
    )
    cases = next(s for s in build(spec, lambda percent, line: None).sections if s.key == "cases")
    guangxi = [row for row in cases.tables[0].rows if row[0] == GX]
    assert guangxi == [[guangxi[0][0], 0, 2, 2]]  # women, children, total
