"""Any background job: its page (with the live progress bar), the status the bar polls, a retry."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.permissions import get_restricted_object
from reports.choices import JobStatus
from reports.models import Job
from reports.services.jobs import job_retry


@login_required
def job_detail(request, pk):
    job = get_restricted_object(Job.objects.select_related("period", "province", "unit"), request.user, pk=pk)
    may_change = Job.objects.restrict(request.user, "change").filter(pk=pk).exists()
    newer = Job.objects.live(job.key).first() if job.status == JobStatus.SUPERSEDED else None
    context = {
        "job": job,
        "can_retry": may_change and job.status == JobStatus.FAILED,
        "can_compile_again": may_change and job.is_report and job.status == JobStatus.SUCCEEDED,
        "newer": newer,
        # An upload's list of problems is bounded; those found beyond it are only counted.
        "problems_more": job.result.get("problems_more", 0),
        "problem_count": len(job.result.get("problems", [])) + job.result.get("problems_more", 0),
    }
    return render(request, "reports/job.html", context)


@login_required
def job_status(request, pk):
    """What the progress bar asks every second."""
    job = get_restricted_object(Job.objects, request.user, pk=pk)
    return JsonResponse(
        {
            "status": job.status,
            "status_label": job.get_status_display(),
            "progress": job.progress,
            "finished": job.is_finished,
            "url": reverse("reports:job", kwargs={"pk": job.pk}),
        }
    )


@login_required
@require_POST
def job_retry_view(request, pk):
    """Queue a failed job again; only who may start it."""
    job = get_restricted_object(Job.objects, request.user, "change", pk=pk)
    if job.status != JobStatus.FAILED:
        messages.info(request, _("Only a failed job can be retried."))
    else:
        retried = job_retry(job, request.user)
        if retried.pk != job.pk:
            messages.info(request, _("This report has been compiled again meanwhile."))
        job = retried
    return redirect("reports:job", pk=job.pk)
