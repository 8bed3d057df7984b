"""Pages of the reports from the public for those who receive them: the case officers of the
receiving public-security office, and the IMCS Office for what came through its triage (the
queue of reports waiting to be routed, and the forward). Every list and every read is in the
audit log, as the case files' are; the files go out only through a view that checks the rights."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from cases import selectors
from cases.choices import PublicReportStatus
from cases.forms import PublicReportForwardForm, PublicReportUpdateForm
from cases.models.public_reports import PublicReport, PublicReportAttachment
from cases.services import logged_reads
from cases.services import public_reports as writes
from core.forms import add_service_errors
from core.paging import keyset_page, paged_from
from core.permissions import KEEP_CASE_FILES, REVIEW, may
from core.workflow import EditConflict, WorkflowError

PAGE_SIZE = 50


def readers_only(request) -> None:
    """The pages exist for case officers and the Office (404 for everyone else, logged)."""
    if not (may(request.user, KEEP_CASE_FILES) or may(request.user, REVIEW)):
        logged_reads.case_refused(actor=request.user, model=PublicReport, asked=request.path)
        raise Http404


@never_cache
@login_required
def report_list(request):
    """The reports the user reads, newest first, a page at a time (keyset paging: the Office's
    reports are never counted); the Office's triage queue with ``?queue=triage``."""
    readers_only(request)
    reports = PublicReport.objects.restrict(request.user).select_related("division", "receiving_agency")
    queue = "triage" if request.GET.get("queue") == "triage" else ""
    if queue:
        reports = reports.filter(receiving_agency__isnull=True)
    status = request.GET.get("status", "")
    if status in PublicReportStatus.values:
        reports = reports.filter(status=status)
    else:
        status = ""
    page = keyset_page(reports, request.GET, PAGE_SIZE, "received_at")
    writes.public_reports_shown(
        actor=request.user, reports=page, detail={**paged_from(request), "status": status, "queue": queue}
    )
    context = {
        "page": page,
        "page_query": urlencode(
            {key: value for key, value in (("queue", queue), ("status", status)) if value}
        ),
        "status": status,
        "queue": queue,
        "statuses": PublicReportStatus.choices,
        "is_office": may(request.user, REVIEW),
    }
    return render(request, "cases/public_reports/list.html", context)


def _render(request, report, *, update_form=None, forward_form=None, status=200):
    receives = may(request.user, KEEP_CASE_FILES) and report.receiving_agency_id == request.user.agency_id
    triage = may(request.user, REVIEW) and report.in_triage
    if receives and update_form is None:
        update_form = PublicReportUpdateForm(
            initial={"status": report.status, "notes": report.notes, "version": report.version},
            statuses=_receiver_statuses(),
        )
    if triage and forward_form is None:
        forward_form = PublicReportForwardForm(
            initial={"version": report.version}, agencies=writes.public_security_agencies()
        )
    context = {
        "report": report,
        "attachments": list(report.attachments.all()),
        "update_form": update_form if receives else None,
        "forward_form": forward_form if triage else None,
    }
    return render(request, "cases/public_reports/detail.html", context, status=status)


def _receiver_statuses():
    return [(s.value, s.label) for s in writes.RECEIVER_STATUSES]


@never_cache
@login_required
def report_detail(request, pk):
    readers_only(request)
    report = writes.public_report_read(actor=request.user, pk=pk)
    return _render(request, report)


@require_POST
@login_required
def report_update(request, pk):
    """The receiving office's status and notes."""
    readers_only(request)
    report = writes.public_report_read(actor=request.user, pk=pk)
    form = PublicReportUpdateForm(request.POST, statuses=_receiver_statuses())
    if form.is_valid():
        try:
            writes.public_report_update(
                actor=request.user,
                report_id=report.pk,
                version=form.cleaned_data["version"],
                status=form.cleaned_data["status"],
                notes=form.cleaned_data["notes"],
            )
        except (ValidationError, EditConflict, WorkflowError) as error:
            _form_error(form, error)
        else:
            messages.success(request, _("The report was saved."))
            return redirect("cases:public_report", pk=report.pk)
    return _render(request, report, update_form=form, status=400)


@require_POST
@login_required
def report_forward(request, pk):
    """The Office sends a report in its triage to a public-security office."""
    readers_only(request)
    report = writes.public_report_read(actor=request.user, pk=pk)
    form = PublicReportForwardForm(request.POST, agencies=writes.public_security_agencies())
    if form.is_valid():
        try:
            writes.public_report_forward(
                actor=request.user,
                report_id=report.pk,
                version=form.cleaned_data["version"],
                to_agency=form.cleaned_data["to_agency"],
            )
        except (ValidationError, EditConflict, WorkflowError) as error:
            _form_error(form, error)
        else:
            messages.success(
                request, _("The report was sent to %(agency)s.") % {"agency": form.cleaned_data["to_agency"]}
            )
            return redirect("cases:public_reports")
    return _render(request, report, forward_form=form, status=400)


def _form_error(form, error) -> None:
    if isinstance(error, ValidationError):
        add_service_errors(form, error)
    else:
        form.add_error(None, str(error))


@login_required
def attachment_download(request, pk):
    """A report's file, to those who read the report (404 to everyone else, logged); the
    download is in the audit log."""
    readers_only(request)
    attachment = logged_reads.visible_or_refused(
        PublicReportAttachment.objects.select_related("report"), actor=request.user, asked=pk, pk=pk
    )
    writes.public_report_file_read(actor=request.user, attachment=attachment)
    return FileResponse(
        attachment.file.open("rb"),
        as_attachment=True,
        filename=attachment.original_name,
        content_type=attachment.content_type,
    )


@never_cache
@login_required
def report_statistics(request):
    """Reports from the public by province and status, for everyone signed in; small cells
    suppressed as the case statistics' are."""
    return render(
        request,
        "cases/public_reports/statistics.html",
        {"table": selectors.public_report_statistics(request.user)},
    )
