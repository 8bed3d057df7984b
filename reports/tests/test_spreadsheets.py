"""The spreadsheet path: template round trip, broken workbooks that save nothing, and the bounds
on what an upload may cost (its size, the cells read, the problems kept, the files left behind)."""

import base64
import datetime as dt
import io
import os
import zipfile
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from openpyxl import Workbook, load_workbook
from openpyxl.utils import get_column_letter

from agencies.models import Division
from reports.choices import JobKind
from reports.models import Job, QuarterlyReport
from reports.services import quarterly_workbook as spreadsheets
from reports.services.jobs import job_run
from reports.services.quarterly_workbook import FIGURES_SHEET, NARRATIVES_SHEET, read_workbook, template_bytes
from tests.jobs import wait_for
from tests.progress import period
from tests.quarterly import file_report, good_values

pytestmark = [pytest.mark.django_db, pytest.mark.portal_date("2009-10-05")]


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
    assert "公式" in messages and "多余的单元格" in messages
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
    wait_for(
        lambda: client.get(status_url).json()["finished"],
        timeout=30,
        message="the worker did not finish the job",
        interval=0.3,
    )
    page = client.get(response.url).content.decode()
    assert "破案数不能大于立案数" in page and 'id="problems"' in page
    assert client_as("reporter_yn").get(status_url).status_code == 404  # someone else's job


def test_a_check_says_when_the_report_can_no_longer_be_changed(persona):
    gx = persona("reporter_gx")
    file_report(gx, "2009Q3", submit=True)
    job = upload_job(gx, as_upload(filled_template(gx)), dry_run=True)
    assert "不能再修改" in job.result["problems"][0]["message"]


def row_of(workbook: Workbook, code: str) -> int:
    """The template's row of a figure."""
    for (cell,) in workbook[FIGURES_SHEET].iter_rows(min_row=2, max_col=1):
        if cell.value == code:
            return cell.row
    raise KeyError(code)


def input_files(settings) -> set[Path]:
    folder = Path(settings.MEDIA_ROOT) / "jobs" / "input"
    return set(folder.rglob("*")) if folder.exists() else set()


def test_the_rules_are_checked_alongside_the_cells_in_error(persona):
    # Text in one cell and solved > reported: one pass lists both, each where it is.
    gx = persona("reporter_gx")
    workbook = filled_template(gx)
    workbook[FIGURES_SHEET][f"C{row_of(workbook, 'publicity_events')}"] = "很多"
    workbook[FIGURES_SHEET][f"C{row_of(workbook, 'cases_solved')}"] = 99
    job = upload_job(gx, as_upload(workbook), dry_run=False)
    assert [(p["row"], p["message"]) for p in job.result["problems"]] == [
        (row_of(workbook, "publicity_events"), "请输入大于或等于0的整数。"),
        (row_of(workbook, "cases_solved"), "破案数不能大于立案数。"),
    ]
    assert not job.result["saved"] and not QuarterlyReport.objects.exists()


def test_an_oversized_file_is_refused_before_it_is_stored(client_as, persona, settings):
    gx = persona("reporter_gx")
    workbook = filled_template(gx)
    padding = workbook.create_sheet("附件 Padding")
    for row in range(1, 101):  # random text does not compress: a real file of more than 2 MiB
        padding.cell(row, 1, base64.b64encode(os.urandom(22_000)).decode())
    upload = as_upload(workbook)
    assert upload.size > settings.QUARTERLY_UPLOAD_MAX_BYTES == 2 * 1024 * 1024
    before = input_files(settings)
    response = client_as("reporter_gx").post(
        reverse("reports:upload", kwargs={"period": "2009Q3"}), {"file": upload, "dry_run": "on"}
    )
    assert response.status_code == 200
    [error] = response.context["form"].errors["file"]
    error = error.replace("\xa0", " ")  # filesizeformat keeps the number and its unit together
    assert error.startswith("“report.xlsx”大小为 2.") and error.endswith("单个文件不得超过 2.0 MB。")
    page = response.content.decode().replace("\xa0", " ")
    assert "不超过2.0 MB的 .xlsx 文件" in page  # the limit is said before, too
    assert not Job.objects.exists() and input_files(settings) == before


def many_extra_cells(gx, count: int = 200_000) -> SimpleUploadedFile:
    """The filled template with ``count`` numbers to the right of it and below it, from row 30 on.

    Written into the sheet's XML directly (openpyxl takes seconds for as many cells); the sheet still
    declares the template's dimension, as a file may: the reading must not trust it."""
    buffer = io.BytesIO()
    filled_template(gx).save(buffer)
    letters = [get_column_letter(4 + c) for c in range(100)]
    rows = "".join(
        f'<row r="{30 + r}">'
        + "".join(f'<c r="{letter}{30 + r}"><v>{r * 100 + c}</v></c>' for c, letter in enumerate(letters))
        + "</row>"
        for r in range(count // 100)
    )
    result = io.BytesIO()
    with zipfile.ZipFile(buffer) as source, zipfile.ZipFile(result, "w", zipfile.ZIP_DEFLATED) as target:
        for member in source.infolist():
            data = source.read(member)
            if member.filename == "xl/worksheets/sheet2.xml":  # the figures, the template's second sheet
                data = data.replace(b"</sheetData>", rows.encode() + b"</sheetData>")
            target.writestr(member, data)
    return SimpleUploadedFile("report.xlsx", result.getvalue())


def test_many_extra_cells_are_one_problem_and_are_not_read(persona, settings, api_as):
    # The file: about 1 MB, with 200,000 cells outside the template.
    gx = persona("reporter_gx")
    upload = many_extra_cells(gx)
    assert upload.size < settings.QUARTERLY_UPLOAD_MAX_BYTES  # passes the size check: the reading is bounded
    parsed = read_workbook(upload, period("2009Q3"))
    assert parsed.cells_read < 2 * spreadsheets.MAX_CELLS + 200  # not 200,000
    [extra] = parsed.problems
    assert (extra.sheet, extra.row, extra.column) == (FIGURES_SHEET, 30, "D")
    assert "超过" in extra.message and "多余的单元格" in extra.message
    assert parsed.values == good_values()  # the template's cells are still read
    job = upload_job(gx, upload, dry_run=True)
    assert len(job.result["problems"]) == 1 and job.result["problems_more"] == 0
    answer = api_as("reporter_gx").get(f"/api/jobs/{job.pk}/")
    assert answer.status_code == 200 and len(answer.content) < 5_000


def test_a_range_overfull_with_cells_is_refused_without_reading_it(persona):
    # 300 columns in each row of the template: more cells than a template can hold, in its own rows.
    gx = persona("reporter_gx")
    workbook = filled_template(gx)
    for row in range(2, 21):
        for column in range(4, 304):
            workbook[FIGURES_SHEET].cell(row, column, 1)
    parsed = read_workbook(as_upload(workbook), period("2009Q3"))
    assert parsed.cells_read <= spreadsheets.MAX_CELLS + 100
    assert [(p.sheet, p.row) for p in parsed.problems] == [(FIGURES_SHEET, None)]
    assert "不是报表模板" in parsed.problems[0].message and parsed.values == {}


def test_too_many_sheets_or_too_large_unpacked(persona):
    gx = persona("reporter_gx")
    workbook = filled_template(gx)
    for i in range(spreadsheets.MAX_SHEETS):
        workbook.create_sheet(f"Sheet {i}")
    [problem] = read_workbook(as_upload(workbook), period("2009Q3")).problems
    assert "13个工作表" in problem.message
    workbook = filled_template(gx)
    padding = workbook.create_sheet("附件 Padding")
    for row in range(1, 121):  # 12 MB of text, compressed to little (a cell holds 32,767 characters)
        padding.cell(row, 1, "打" * 32_767)
    upload = as_upload(workbook)
    assert upload.size < 200_000
    [problem] = read_workbook(upload, period("2009Q3")).problems
    assert "解压后超过10.0\xa0MB" in problem.message


def test_problems_are_capped_and_the_rest_counted(client_as, persona):
    gx = persona("reporter_gx")
    workbook = filled_template(gx)
    for row in range(2, 20):
        workbook[FIGURES_SHEET][f"C{row}"] = "x"  # 18 cells in error
    parsed = read_workbook(as_upload(workbook), period("2009Q3"), max_problems=5)
    assert len(parsed.problems) == 5 and parsed.more == 13
    assert [p.row for p in parsed.problems] == [2, 3, 4, 5, 6]  # the first ones, in order
    # The job page says how many there are in all, and how many are not listed.
    job = Job.objects.create(
        owner=gx, kind=JobKind.QUARTERLY_UPLOAD, status="succeeded", params={"period": "2009Q3"},
        result={"problems": [vars(p) for p in parsed.problems], "problems_more": parsed.more, "saved": False},
    )  # fmt: skip
    page = client_as("reporter_gx").get(reverse("reports:job", kwargs={"pk": job.pk})).content.decode()
    assert "发现 18 个问题" in page and "另有13个问题未列出" in page


def test_rejected_and_failed_files_are_removed(persona, settings):
    gx = persona("reporter_gx")
    kept = upload_job(gx, as_upload(filled_template(gx)), dry_run=True)
    assert kept.result["problems"] == [] and Path(kept.input_file.path).exists()
    before = input_files(settings)
    rejected = upload_job(gx, as_upload(filled_template(gx, {(FIGURES_SHEET, "C2"): "四十"})), dry_run=True)
    assert rejected.result["problems"] and not rejected.input_file
    assert input_files(settings) == before  # nothing left in MEDIA_ROOT
    failed = Job.objects.create(
        owner=gx, kind=JobKind.QUARTERLY_UPLOAD, input_file=as_upload(filled_template(gx)),
        params={"period_id": 0, "period": "2009Q3", "dry_run": True},  # a period that no longer exists
    )  # fmt: skip
    job_run(failed.pk)
    failed.refresh_from_db()
    assert failed.status == "failed" and not failed.input_file and input_files(settings) == before
    # Retried, it asks for the file again instead of failing on its absence.
    failed.params["period_id"] = period("2009Q3").pk
    failed.status, failed.attempts = "queued", 0
    failed.save()
    job_run(failed.pk)
    failed.refresh_from_db()
    assert failed.result["problems"][0]["message"] == "上传的文件已不再保留，请重新上传。"


def test_a_job_given_up_after_its_attempts_keeps_no_file(persona, settings):
    # A file whose check kept stopping the worker: when the job is given up, its file goes too.
    gx = persona("reporter_gx")
    before = input_files(settings)
    job = Job.objects.create(
        owner=gx, kind=JobKind.QUARTERLY_UPLOAD, input_file=as_upload(filled_template(gx)),
        params={"period_id": period("2009Q3").pk, "period": "2009Q3", "dry_run": True},
        status="running", attempts=settings.JOB_MAX_ATTEMPTS,
        heartbeat_at=timezone.now() - dt.timedelta(days=1),  # its worker stopped beating long ago
    )  # fmt: skip
    assert input_files(settings) != before
    job_run(job.pk)
    job.refresh_from_db()
    assert job.status == "failed" and not job.input_file and input_files(settings) == before


def test_a_template_of_another_division_or_quarter_is_refused_naming_both(persona, english):
    gx = persona("reporter_gx")
    guangxi, yunnan = (Division.objects.get(code=code) for code in ("450000", "530000"))
    upload = filled_template(gx)  # Guangxi's, for 2009 Q3
    assert read_workbook(as_upload(upload), period("2009Q3"), division=guangxi).problems == []
    [problem] = read_workbook(as_upload(upload), period("2009Q3"), division=yunnan).problems
    assert (problem.sheet, problem.row, problem.column) == ("说明 About", 1, "B")
    assert "450000" in problem.message and "Yunnan" in problem.message
    [problem] = read_workbook(as_upload(upload), period("2009Q4"), division=guangxi).problems
    assert problem.row == 2 and "2009Q3" in problem.message and "2009 Q4" in problem.message
