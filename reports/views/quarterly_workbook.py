"""The quarterly report's spreadsheet path: download the quarter's template (prefilled with what is
saved), upload a filled-in one to a checking job."""

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from core.exports import XLSX_TYPE
from core.permissions import REPORT_QUARTERLY, require
from reports.choices import JobKind
from reports.forms import UploadForm
from reports.models import QuarterlyReport
from reports.models.chain import reporter_division
from reports.services.jobs import job_create
from reports.services.quarterly_workbook import check_upload_size, template_bytes
from reports.views.plan_and_period import current_plan, period_from_code


@login_required
def template_download(request, period):
    require(request.user, REPORT_QUARTERLY)
    plan = current_plan(request)
    period = period_from_code(request, plan, period)
    division = reporter_division(request.user)
    report = QuarterlyReport.objects.restrict(request.user).filter(division=division, period=period).first()
    values = {v.figure.code: v.value for v in report.values.select_related("figure")} if report else {}
    narratives = {n.area.seq: n.text for n in report.narratives.select_related("area")} if report else {}
    content = template_bytes(division, period, values, narratives)
    response = HttpResponse(content, content_type=XLSX_TYPE)
    filename = f"quarterly-report-{division.code}-{period.code}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
def upload(request, period):
    """Upload a filled-in template: a job checks every cell (and saves, unless it is a dry run)."""
    require(request.user, REPORT_QUARTERLY)
    plan = current_plan(request)
    period = period_from_code(request, plan, period)
    form = UploadForm(request.POST or None, request.FILES or None)
    # Refused before it is stored: the job never sees a file larger than the limit.
    form.fields["file"].validators.append(check_upload_size)
    form.fields["file"].help_text = _("An .xlsx file of at most %(max)s.") % {
        "max": filesizeformat(settings.QUARTERLY_UPLOAD_MAX_BYTES)
    }
    if request.method == "POST" and form.is_valid():
        job = job_create(
            owner=request.user,
            kind=JobKind.QUARTERLY_UPLOAD,
            params={"period_id": period.pk, "period": period.code, "dry_run": form.cleaned_data["dry_run"]},
            input_file=form.cleaned_data["file"],
        )
        return redirect("reports:job", pk=job.pk)
    return render(request, "reports/quarterly/upload.html", {"plan": plan, "period": period, "form": form})
