"""The public pages for reporting a suspected trafficking crime, without an account (3.(2), second
dash): the report form, the page that shows the follow-up code once, and the status check by code.

Each is limited per address (django-ratelimit; a refusal is the bilingual 429 page); a report
also needs a solved proof-of-work challenge and an empty trap field. No answer says whether any
other report exists: a wrong code and a code of no report answer the same.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from django_ratelimit.decorators import ratelimit

from agencies.models import Division
from cases.forms import FollowUpCodeForm, PublicReportForm, counties_of
from cases.services import public_flood
from cases.services.public_reports import (
    MAX_ATTACHMENTS,
    PublicReportInput,
    public_report_status,
    public_report_submit,
)
from core.audit import client_ip
from core.forms import add_service_errors

SESSION_CODE = "public_report_code"  # the code, kept for the one view of the thank-you page


def address(group, request) -> str:
    """The key of the limits: the client's address, as the audit log records it."""
    return client_ip(request) or "unknown"


def too_many(request):
    return render(request, "cases/public/limited.html", status=429)


@never_cache
@ratelimit(key=address, rate=lambda group, request: settings.PUBLIC_REPORT_RATE, method="POST", block=False)
def report(request):
    """The form; a report kept sends the person to the page that shows their code."""
    if getattr(request, "limited", False):
        # The form comes back with what was typed (files cannot be given back: they are chosen
        # again), so that nothing is lost; it is not looked at further.
        form = PublicReportForm(request.POST)
        context = {"form": form, "max_attachments": MAX_ATTACHMENTS, "limited": True}
        return render(request, "cases/public/report.html", context, status=429)
    form = PublicReportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        if public_flood.is_trapped(form.cleaned_data["website"]) or not public_flood.solved(
            request.POST.get("altcha", "")
        ):
            form.add_error(
                None,
                _("The check that you are not a robot did not pass. Wait for it to finish, then send again."),
            )
        else:
            data = form.cleaned_data
            county = data.get("county")
            if county is not None and county.province_code != data["province"].code:
                county = None
            division = county or Division.objects.filter(code=data["province"].code).first()
            try:
                _report, code = public_report_submit(
                    data=PublicReportInput(
                        division=division,
                        description=data["description"],
                        happened_on=data.get("happened_on"),
                        is_anonymous=data["is_anonymous"],
                        contact_name=data["contact_name"],
                        contact_phone=data["contact_phone"],
                        contact_email=data["contact_email"],
                        attachments=data["attachments"],
                    )
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                request.session[SESSION_CODE] = code
                return redirect("public_report_sent")
    context = {"form": form, "max_attachments": MAX_ATTACHMENTS}
    return render(request, "cases/public/report.html", context, status=400 if form.errors else 200)


@never_cache
def report_sent(request):
    """The follow-up code, shown once: the session forgets it as the page is made."""
    code = request.session.pop(SESSION_CODE, None)
    return render(request, "cases/public/sent.html", {"code": code})


@never_cache
@ratelimit(key=address, rate=lambda group, request: settings.PUBLIC_STATUS_RATE, method="POST", block=False)
def report_status(request):
    """The status of a report, by its code (POST: the code stays out of addresses and logs)."""
    if getattr(request, "limited", False):
        return too_many(request)
    form = FollowUpCodeForm(request.POST or None)
    answer, asked = None, False
    if request.method == "POST" and form.is_valid():
        asked = True
        answer = public_report_status(code=form.cleaned_data["code"])
    return render(request, "cases/public/status.html", {"form": form, "answer": answer, "asked": asked})


@never_cache
@require_GET
@ratelimit(key=address, rate=lambda group, request: settings.PUBLIC_CHALLENGE_RATE, block=False)
def challenge(request):
    """A new proof-of-work challenge for the report form's widget."""
    if getattr(request, "limited", False):
        return JsonResponse({"error": _("Too many requests from your address. Try again later.")}, status=429)
    return JsonResponse(public_flood.new_challenge())


@require_GET
def counties(request):
    """The prefectures and counties of a province, for the form's second select (reference data)."""
    rows = counties_of(request.GET.get("province", "")[:6])
    response = JsonResponse({"counties": [{"code": d.code, "name": d.name} for d in rows]})
    response["Cache-Control"] = "private, max-age=3600"
    return response
