"""Compiled reports: start one, follow its job, download its PDF and XLSX, retry a failed one."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from agencies import clock
from agencies.choices import READERS_OF_ALL
from agencies.forms import add_service_errors
from agencies.permissions import get_restricted_object
from measures.models import ReportingPeriod

from ..choices import FINISHED_REPORT_STATES, JobStatus
from ..compiled.spec import kinds_for, report_spec
from ..downloads import report_file_response
from ..forms import ReportRequestForm
from ..models import Job
from ..services.reports import report_start, spec_of
from .common import current_plan


@login_required
def compiled_list(request):
    """The reports the user may read, newest first, and (for those who may) a form to start one."""
    plan = current_plan(request)
    kinds = kinds_for(request.user)
    reports = Job.objects.restrict(request.user).reports()
    if not kinds and request.user.role not in READERS_OF_ALL and not reports.exists():
        raise Http404
    form = None
    if kinds:
        current = ReportingPeriod.objects.current(plan, clock.today())  # the quarter being reported on
        initial = {"kind": kinds[0][0], "language": get_language(), "period": current.code if current else ""}
        form = ReportRequestForm(request.POST or None, user=request.user, kinds=kinds, initial=initial)
        if request.method == "POST" and form.is_valid():
            try:
                spec = report_spec(request.user, plan=plan, **form.cleaned_data)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                job, created = report_start(actor=request.user, spec=spec)
                if not created:
                    messages.info(
                        request,
                        _("This report is already %(status)s: here it is.")
                        % {"status": job.get_status_display()},
                    )
                return redirect("reports:job", pk=job.pk)
    page = Paginator(
        reports.select_related("owner", "period", "province", "unit").order_by("-created_at", "-pk"), 25
    ).get_page(request.GET.get("page"))
    return render(request, "reports/compiled_list.html", {"form": form, "page": page, "plan": plan})


@login_required
def job_file(request, pk, fmt):
    """A finished report's PDF or XLSX, for those who may read the report (404 for anyone else)."""
    job = get_restricted_object(Job.objects.reports(), request.user, pk=pk, status__in=FINISHED_REPORT_STATES)
    return report_file_response(job, fmt)


@login_required
@require_POST
def job_compile_again(request, pk):
    """Compile a finished report anew, with the data of today; the finished one is kept, superseded."""
    job = get_restricted_object(Job.objects.reports(), request.user, "change", pk=pk)
    if job.status != JobStatus.SUCCEEDED:
        messages.info(request, _("Only a finished report can be compiled again."))
        return redirect("reports:job", pk=job.pk)
    new, _created = report_start(actor=request.user, spec=spec_of(job), again=True)
    return redirect("reports:job", pk=new.pk)
