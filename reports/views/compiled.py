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

from core import clock
from core.forms import add_service_errors
from core.permissions import READ_ALL_SUBMITTED, get_restricted_object, may
from measures.models import ReportingPeriod
from reports.choices import FINISHED_REPORT_STATES, JobStatus
from reports.forms import ReportRequestForm
from reports.models import Job
from reports.services.compiled.files import report_file_response
from reports.services.compiled.jobs import report_start, spec_of
from reports.services.compiled.spec import ahead_of_deadline, kinds_for, report_spec
from reports.views.plan_and_period import current_plan


@login_required
def compiled_list(request):
    """The reports the user may read, newest first, and (for those who may) a form to start one."""
    plan = current_plan(request)
    kinds = kinds_for(request.user)
    reports = Job.objects.restrict(request.user).reports()
    if not kinds and not may(request.user, READ_ALL_SUBMITTED) and not reports.exists():
        raise Http404
    form = None
    if kinds:
        current = ReportingPeriod.objects.current(plan, clock.today())  # the quarter being reported on
        initial = {"kind": kinds[0][0], "language": get_language(), "period": current.code if current else ""}
        data = request.POST or None
        asked = bool(data and "early" in data)  # the confirmation step was shown
        form = ReportRequestForm(data, user=request.user, kinds=kinds, initial=initial, ask_early=asked)
        if request.method == "POST" and form.is_valid():
            fields = {k: v for k, v in form.cleaned_data.items() if k != "early"}
            try:
                spec = report_spec(request.user, plan=plan, **fields)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                if ahead_of_deadline(spec, clock.today()) and not form.cleaned_data.get("early"):
                    # Before the deadline, units and provinces are still sending, and nothing is late
                    # or missing yet: say so, and compile only when asked again.
                    form = ReportRequestForm(data, user=request.user, kinds=kinds, ask_early=True)
                    early = {"period": spec.label, "deadline": spec.period.deadline}
                    return render(
                        request, "reports/compiled_list.html", _listing(request, reports, form, plan, early)
                    )
                job, created = report_start(actor=request.user, spec=spec)
                if not created:
                    messages.info(
                        request,
                        _("This report is already %(status)s: here it is.")
                        % {"status": job.get_status_display()},
                    )
                return redirect("reports:job", pk=job.pk)
    return render(request, "reports/compiled_list.html", _listing(request, reports, form, plan))


def _listing(request, reports, form, plan, early=None) -> dict:
    page = Paginator(
        reports.select_related("owner", "period", "province", "unit").order_by("-created_at", "-pk"), 25
    ).get_page(request.GET.get("page"))
    return {"form": form, "page": page, "plan": plan, "early": early}


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
