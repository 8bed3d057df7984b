"""The API of compiled reports: start one (or get the one already there), follow it, download it,
retry it; each error names its field, and what may not be read answers 404."""

import pytest

from reports.choices import JobKind, JobStatus
from reports.models import Job
from reports.services.jobs import job_run
from tests.compiled import known_data, pdf_text

pytestmark = pytest.mark.django_db


def test_start_follow_and_download_a_report(persona, api_as):
    known_data(persona)
    office = api_as("office")
    payload = {"kind": JobKind.QUARTERLY_REPORT, "period": "2009Q4", "language": "en"}
    created = office.post("/api/jobs/", payload, format="json")
    assert created.status_code == 201, created.json()
    job_id = created.json()["id"]
    assert created.json()["status"] == JobStatus.QUEUED and created.json()["files"] == {}
    again = office.post("/api/jobs/", payload, format="json")
    assert again.status_code == 200 and again.json()["id"] == job_id  # not started twice
    job_run(job_id)
    followed = office.get(f"/api/jobs/{job_id}/").json()
    assert followed["status"] == JobStatus.SUCCEEDED and followed["progress"] == 100
    assert followed["period"] == "2009Q4" and followed["language"] == "en"
    pdf = office.get(followed["files"]["pdf"])
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert "Quarterly progress report" in pdf_text(b"".join(pdf.streaming_content))
    assert office.get(f"/api/jobs/{job_id}/files/xlsx/").status_code == 200
    # Who may not read the national report: 404 on the job and on its files.
    for name in ("reporter_gx", "liaison_mca", "case_mps"):
        api = api_as(name)
        assert api.get(f"/api/jobs/{job_id}/").status_code == 404
        assert api.get(f"/api/jobs/{job_id}/files/pdf/").status_code == 404
    assert api_as("auditor").get(f"/api/jobs/{job_id}/files/pdf/").status_code == 200
    assert api_as(None).get(f"/api/jobs/{job_id}/").status_code in (401, 403)


def test_bad_requests_name_their_field_and_start_nothing(persona, api_as):
    persona("office")
    answer = api_as("office").post(
        "/api/jobs/", {"kind": JobKind.UNIT_REPORT, "period": "2009", "language": "fr"}, format="json"
    )
    assert answer.status_code == 400 and set(answer.json()) == {"language"}
    answer = api_as("office").post(
        "/api/jobs/", {"kind": JobKind.UNIT_REPORT, "period": "2009", "language": "en"}, format="json"
    )
    assert answer.status_code == 400 and set(answer.json()) == {"period", "unit"}
    answer = api_as("reporter_gx").post(
        "/api/jobs/", {"kind": JobKind.ANNUAL_REPORT, "period": "2009", "language": "en"}, format="json"
    )
    assert answer.status_code == 400 and set(answer.json()) == {"kind"}
    assert not Job.objects.exists()


def test_a_province_starts_its_own_report_and_retries_it(persona, api_as):
    known_data(persona)
    gx = api_as("reporter_gx")
    answer = gx.post(
        "/api/jobs/",
        {"kind": JobKind.PROVINCE_REPORT, "period": "2009Q4", "language": "zh-hans", "province": "530000"},
        format="json",
    )
    assert answer.status_code == 201 and answer.json()["province"] == "450000"  # its own, whatever asked
    job_id = answer.json()["id"]
    assert api_as("reporter_yn").get(f"/api/jobs/{job_id}/").status_code == 404
    assert gx.post(f"/api/jobs/{job_id}/retry/").status_code == 409  # only a failed job
    Job.objects.filter(pk=job_id).update(status=JobStatus.FAILED)
    assert api_as("reporter_yn").post(f"/api/jobs/{job_id}/retry/").status_code == 404
    retried = gx.post(f"/api/jobs/{job_id}/retry/")
    assert retried.status_code == 200 and retried.json()["status"] == JobStatus.QUEUED
