"""The export of case files (CSV/XLSX): a case officer's agency's own files, a supervisor's those
of the agencies below; names and identifiers only with a reason, and every file exported is in the
audit log. It runs in the request, as its user (read again on every request): a user moved to
another agency exports none of the old agency's files from the next request on."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.cache import never_cache

from cases.forms import ExportForm
from cases.models.case_files import CaseFile
from cases.views.case_files import case_pages_only
from core.audit import audit_each
from core.exports import table_response
from core.permissions import CHANGE, KEEP_CASE_FILES, VIEW, may

EXPORT_FIELDS = ["number", "category", "sex", "estimated_age", "date_of_birth", "home_province", "rescued_on",
                 "rescue_province", "status", "consent_sharing", "owner_agency"]  # fmt: skip


@never_cache
@login_required
def export(request, fmt):
    """The files the user answers for as CSV/XLSX; names and identifiers only with a reason, logged.
    A case officer exports the agency's own files (CHANGE: not those it was only referred), a
    supervisor those it reads (VIEW: the agencies below)."""
    case_pages_only(request)
    # POST: the reason stays out of URLs and access logs.
    form = ExportForm(request.POST if request.method == "POST" else None)
    if request.method != "POST" or not form.is_valid():
        status = 400 if request.method == "POST" else 200
        context = {"form": form, "fmt": fmt, "keeps_files": may(request.user, KEEP_CASE_FILES)}
        return render(request, "cases/export.html", context, status=status)
    with_ids = form.cleaned_data["with_identifiers"]
    action = CHANGE if may(request.user, KEEP_CASE_FILES) else VIEW
    cases = list(
        CaseFile.objects.restrict(request.user, action).select_related(
            "home_province", "rescue_province", "owner_agency"
        )
    )
    header = [CaseFile._meta.get_field(f).verbose_name for f in EXPORT_FIELDS]
    if with_ids:
        header += [pgettext("person", "Name"), _("Identity document number"), _("Phone"), _("Home address")]
    rows = []
    for case in cases:
        row = [str(getattr(case, f) if getattr(case, f) is not None else "") for f in EXPORT_FIELDS]
        row[1], row[2], row[8] = (
            case.get_category_display(),
            case.get_sex_display(),
            case.get_status_display(),
        )
        # Without identifiers, the year of birth only: a full date narrows a person down.
        row[4] = str(case.date_of_birth.year) if case.date_of_birth and not with_ids else row[4]
        row[9] = _("yes") if case.consent_sharing else _("no")
        row[10] = case.owner_agency.code
        if with_ids:
            row += [case.name, case.id_number, case.phone, case.address]
        rows.append(row)
    audit_each(user=request.user, action="export", objs=cases, channel="export",
               detail={"identifiers": with_ids, "reason": form.cleaned_data.get("reason", "")})  # fmt: skip
    return table_response(fmt, "case-files", _("Case files"), [str(h) for h in header], rows)
