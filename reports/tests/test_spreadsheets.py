"""The spreadsheet path: template round trip, and broken workbooks that save nothing."""

import io
import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from reports.choices import JobKind
from reports.models import Job, QuarterlyReport
from reports.services.jobs import job_run
from reports.spreadsheets import FIGURES_SHEET, NARRATIVES_SHEET, read_workbook, template_bytes
from tests.progress import period
from tests.quarterly import file_report, good_values

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def in_2009(settings):
    settings.PORTAL_TODAY = "2009-10-05"


def filled_template(gx, changes: dict | None = None) -> Workbook:
    content = template_bytes(gx.province, period("2009Q3"), good_values(), {3: "开展专项行动"})
    workbook = load_workbook(io.BytesIO(content))
    for (sheet, cell), value in (changes or {}).items():
        workbook[sheet][cell] = value
    return workbook


def as_upload(workbook: Workbook, name="report.xlsx") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile(name, buffer.getvalue())


def upload_job(gx, upload, dry_run: bool) -> Job:
    job = Job.objects.create(
        owner=gx, kind=JobKind.QUARTERLY_UPLOAD, input_file=upload,
        params={"period_id": period("2009Q3").pk, "period": "2009Q3", "dry_run": dry_run},
    )  # fmt: skip
    job_run(job.pk)
    job.refresh_from_db()
    return job


def test_template_round_trip(persona):
    gx = persona("reporter_gx")
    report = file_report(gx, "2009Q3", values=good_values(publicity_events=17))
    client_content = template_bytes(
        gx.province, period("2009Q3"), {"publicity_events": 17}, {3: "开展专项行动"}
    )
    sheet = load_workbook(io.BytesIO(client_content))[FIGURES_SHEET]
    rows = {row[0]: row[2] for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert rows["publicity_events"] == 17 and rows["cases_reported"] is None
    parsed = read_workbook(as_upload(filled_template(gx)), period("2009Q3"))
    assert parsed.problems == [] and parsed.values == good_values() and parsed.narratives[3] == "开展专项行动"
    assert report.pk


def test_template_download_is_prefilled_with_what_is_saved(client_as, persona):
    gx = persona("reporter_gx")
    file_report(gx, "2009Q3", values=good_values(publicity_events=23))
    response = client_as("reporter_gx").get(reverse("reports:template", kwargs={"period": "2009Q3"}))
    sheet = load_workbook(io.BytesIO(response.content))[FIGURES_SHEET]
    values = {row[0]: row[2] for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert values["publicity_events"] == 23 and values["cases_solved"] == 30
    assert (
        client_as("office").get(reverse("reports:template", kwargs={"period": "2009Q3"})).status_code == 404
    )


def test_upload_saves_when_nothing_is_wrong(persona):
    gx = persona("reporter_gx")
    dry = upload_job(gx, as_upload(filled_template(gx)), dry_run=True)
    assert dry.status == "succeeded" and dry.result["problems"] == [] and not dry.result["saved"]
    assert not QuarterlyReport.objects.exists()
    job = upload_job(gx, as_upload(filled_template(gx)), dry_run=False)
    assert job.result["saved"] and job.result["figures"] == 18
    report = QuarterlyReport.objects.get()
    assert report.state == "draft" and report.values.get(figure__code="cases_reported").value == 40


def test_a_broken_workbook_lists_every_bad_cell_and_saves_nothing(persona):
    gx = persona("reporter_gx")
    workbook = filled_template(
        gx,
        {
            (FIGURES_SHEET, "C2"): "四十",  # cases_reported: not a number
            (FIGURES_SHEET, "C3"): -2,  # cases_solved: negative
            (FIGURES_SHEET, "C4"): "=C2*2",  # suspects_arrested: a formula
            (FIGURES_SHEET, "D5"): "备注",  # an extra column
            (NARRATIVES_SHEET, "C2"): "=A1",  # a formula in a narrative
        },
    )
    job = upload_job(gx, as_upload(workbook), dry_run=False)
    problems = {(p["sheet"], p["row"], p["column"]) for p in job.result["problems"]}
    assert problems == {
        (FIGURES_SHEET, 2, "C"),
        (FIGURES_SHEET, 3, "C"),
        (FIGURES_SHEET, 4, "C"),
        (FIGURES_SHEET, 5, "D"),
        (NARRATIVES_SHEET, 2, "C"),
    }
    messages = " ".join(p["message"] for p in job.result["problems"])
    assert "公式" in messages and "多余的列" in messages
    assert not job.result["saved"] and not QuarterlyReport.objects.exists()


def test_a_missing_sheet_and_a_rule_broken_in_a_cell(persona):
    gx = persona("reporter_gx")
    workbook = filled_template(gx)
    del workbook[NARRATIVES_SHEET]
    job = upload_job(gx, as_upload(workbook), dry_run=False)
    assert [p["message"] for p in job.result["problems"]] == [f"缺少工作表“{NARRATIVES_SHEET}”。"]
    workbook = filled_template(gx, {(FIGURES_SHEET, "C3"): 99})  # solved > reported
    job = upload_job(gx, as_upload(workbook), dry_run=False)
    assert job.result["problems"] == [
        {"sheet": FIGURES_SHEET, "row": 3, "column": "C", "message": "破案数不能大于立案数。"}
    ]
    assert not QuarterlyReport.objects.exists()


def test_not_a_workbook(persona):
    job = upload_job(persona("reporter_gx"), SimpleUploadedFile("x.xlsx", b"not a zip"), dry_run=True)
    assert job.status == "succeeded" and "不是有效的 .xlsx" in job.result["problems"][0]["message"]


def test_a_job_runs_once(persona):
    gx = persona("reporter_gx")
    job = upload_job(gx, as_upload(filled_template(gx)), dry_run=False)
    finished = job.finished_at
    job_run(job.pk)  # a second delivery of the same message
    job.refresh_from_db()
    assert job.finished_at == finished and QuarterlyReport.objects.get().version == 1


@pytest.mark.django_db(transaction=True)
def test_upload_through_the_page_and_a_real_worker(client_as, persona, celery_worker_process, settings):
    # The worker process runs on the real clock, where 2009 Q3 is long locked: a dry run only
    # checks the cells and saves nothing, so the lock does not come into it.
    gx = persona("reporter_gx")
    client = client_as("reporter_gx")
    workbook = filled_template(gx, {(FIGURES_SHEET, "C3"): 99})
    response = client.post(
        reverse("reports:upload", kwargs={"period": "2009Q3"}), {"file": as_upload(workbook), "dry_run": "on"}
    )
    assert response.status_code == 302
    job = Job.objects.get()
    status_url = reverse("reports:job_status", kwargs={"pk": job.pk})
    deadline = time.monotonic() + 30
    while not client.get(status_url).json()["finished"]:
        assert time.monotonic() < deadline, "the worker did not finish the job"
        time.sleep(0.3)
    page = client.get(response.url).content.decode()
    assert "破案数不能大于立案数" in page and 'id="problems"' in page
    assert client_as("reporter_yn").get(status_url).status_code == 404  # someone else's job


def test_a_check_says_when_the_report_can_no_longer_be_changed(persona):
    gx = persona("reporter_gx")
    file_report(gx, "2009Q3", submit=True)
    job = upload_job(gx, as_upload(filled_template(gx)), dry_run=True)
    assert "不能再修改" in job.result["problems"][0]["message"]
