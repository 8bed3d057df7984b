"""Known data for the compiled reports' tests, and ways to read a finished report back."""

import io
import subprocess
import time

from openpyxl import load_workbook

from agencies import clock
from measures import services
from measures.models import Plan
from measures.tests.evaluation import office_assess, open_round, self_assess
from reports.choices import JobStatus
from reports.compiled.spec import report_spec
from reports.models import Job, ProvinceBaseline
from reports.services.reports import report_start
from tests.progress import at, log_entry, pdf
from tests.quarterly import file_report

MCA_NOTE = "MCA-NOTE-42"
MCA_SELF = "MCA-SELF-7"
OFFICE_VIEW = "OFFICE-VIEW-9"


def known_data(persona):
    """Guangxi reports 40 cases, 30 solved (75.0 %) against 25 of 50 in 2007 (50.0 %); Yunnan sends
    nothing; MCA reports measure 2.1.b completed; 35 rescued, 30 assisted (85.7 %)."""
    gx, office = persona("reporter_gx"), persona("office")
    persona("reporter_yn")
    file_report(gx, "2009Q4", when="2010-01-05", submit=True)
    with clock.travel(at("2009-12-01")):
        ProvinceBaseline.objects.create(
            plan=Plan.objects.get(),
            province=gx.province,
            year=2007,
            cases_reported=50,
            cases_solved=25,
            updated_at=clock.now(),
            updated_by=office,
        )
    log_entry(
        persona("liaison_mca"), "2.1.b", "2009Q4", when="2010-01-04", submit=True, status="completed",
        narrative=MCA_NOTE, new_files=[pdf()],
    )  # fmt: skip
    mid_term = open_round(office)
    self_assess(persona("liaison_mca"), mid_term, "2.1.b", rating="achieved", narrative=MCA_SELF)
    office_assess(office, mid_term, "2.1.b", rating="largely", comment=OFFICE_VIEW)
    services.evaluation_round_close(actor=office, round_id=mid_term.pk)
    open_round(office, kind="final", title="终期评估（2012年）")
    return office


def start(user, kind: str, period: str = "2009Q4", language: str = "zh-hans", **scope) -> Job:
    spec = report_spec(user, plan=Plan.objects.get(), kind=kind, period=period, language=language, **scope)
    return report_start(actor=user, spec=spec)[0]


def wait_until(job: Job, *statuses: str, timeout: float = 90) -> Job:
    deadline = time.monotonic() + timeout
    while True:
        job.refresh_from_db()
        if job.status in (statuses or (JobStatus.SUCCEEDED, JobStatus.FAILED)):
            return job
        assert time.monotonic() < deadline, f"job {job.pk} still {job.status}: {job.log}"
        time.sleep(0.3)


def pdf_text(content: bytes) -> str:
    result = subprocess.run(["pdftotext", "-", "-"], input=content, capture_output=True, check=True)
    return result.stdout.decode()


def xlsx_rows(content: bytes) -> dict[str, list[tuple]]:
    """Every sheet's rows, by sheet title."""
    workbook = load_workbook(io.BytesIO(content), read_only=True)
    return {sheet.title: [tuple(row) for row in sheet.iter_rows(values_only=True)] for sheet in workbook}


def row_starting(rows: dict[str, list[tuple]], first: str) -> tuple:
    found = [row for sheet in rows.values() for row in sheet if len(row) > 2 and row[0] == first]
    assert found, f"no row starts with {first!r}"
    return found[0]
