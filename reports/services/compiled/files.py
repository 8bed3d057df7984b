"""A compiled report's files as a download (for the pages and the API alike): its PDF or XLSX as an
attachment."""

from django.http import FileResponse, Http404

from core.exports import XLSX_TYPE
from reports.models import Job

CONTENT_TYPES = {"pdf": "application/pdf", "xlsx": XLSX_TYPE}


def report_file_response(job: Job, fmt: str) -> FileResponse:
    """The report's PDF or XLSX as an attachment named after what it covers (the caller checked
    that the user may read it)."""
    stored = job.pdf if fmt == "pdf" else job.xlsx
    if not stored:
        raise Http404
    return FileResponse(
        stored.open("rb"),
        as_attachment=True,
        filename=f"{job.key.replace(':', '_')}.{fmt}",
        content_type=CONTENT_TYPES[fmt],
    )
