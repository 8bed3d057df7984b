"""The administrators' import of agencies and users from a CSV or XLSX file: check only (a dry run)
or import, with every row's outcome; and a template file per kind."""

import csv
import io

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.template.defaultfilters import filesizeformat
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from agencies.choices import AgencyKind
from agencies.models import User
from agencies.services.import_files import (
    IMPORT_MAX_BYTES,
    IMPORT_MAX_ROWS,
    check_import_size,
    read_import_file,
)
from agencies.services.imports import AGENCIES, COLUMNS, USERS, organisation_import
from core.permissions import ADMINISTER, require

KINDS = [(AGENCIES, gettext_lazy("Agencies")), (USERS, gettext_lazy("Users"))]
# One example row per kind for the template (a Kunming district's civil-affairs bureau and a case
# officer there): the header is what the import reads, the row shows how a cell is written.
EXAMPLES = {
    AGENCIES: [
        "MCA-530102",
        "unit_office",
        "MCA",
        "530102",
        "五华区民政局",
        "Wuhua District Civil Affairs Bureau",
    ],
    USERS: ["case.mca.wuhua", "张丽", "zhang.li@example.org", "case_officer", "MCA-530102"],
}


class OrganisationImportForm(forms.Form):
    kind = forms.ChoiceField(label=gettext_lazy("What the file holds"), choices=KINDS)
    file = forms.FileField(label=gettext_lazy("File to import"), validators=[check_import_size])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = _(
            "CSV (UTF-8 or GB18030) or Excel .xlsx (its first sheet), at most %(size)s and %(rows)s rows."
        ) % {"size": filesizeformat(IMPORT_MAX_BYTES), "rows": f"{IMPORT_MAX_ROWS:,}"}

    def clean(self):
        data = super().clean()
        if data.get("kind") and data.get("file") and "file" not in self.errors:
            try:
                data["rows"] = read_import_file(data["file"], COLUMNS[data["kind"]])
            except forms.ValidationError as error:
                self.add_error("file", error)
        return data


def _template(kind: str) -> HttpResponse:
    """The kind's CSV template: its header and an example row, UTF-8 with the byte-order mark that
    Excel needs to show Chinese."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(COLUMNS[kind])
    writer.writerow(EXAMPLES[kind])
    response = HttpResponse(
        ("\ufeff" + out.getvalue()).encode("utf-8"), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="import-{kind}-template.csv"'
    return response


@login_required
def organisation_import_page(request):
    """Administrators only (others: 404). GET ``?template=agencies`` downloads a template."""
    require(request.user, ADMINISTER)
    if request.method == "GET" and request.GET.get("template") in COLUMNS:
        return _template(request.GET["template"])
    form = OrganisationImportForm(request.POST or None, request.FILES or None)
    result = None
    if request.method == "POST" and form.is_valid():
        dry_run = request.POST.get("action") != "import"
        upload = form.cleaned_data["file"]
        result = organisation_import(
            actor=request.user,
            kind=form.cleaned_data["kind"],
            rows=form.cleaned_data["rows"],
            dry_run=dry_run,
            source=upload.name or "",
        )
        _tell(request, result)
    context = {
        "form": form,
        "result": result,
        "kinds": AgencyKind.choices,
        "roles": User._meta.get_field("role").choices,
        "page_url": reverse("agencies:import"),
    }
    return render(request, "agencies/import.html", context)


def _tell(request, result) -> None:
    counts = result.counts
    if not result.ok:
        refused = counts["refused"]
        text = (
            ngettext(
                "%(count)d row has problems: nothing was saved. Correct it and check the file again.",
                "%(count)d rows have problems: nothing was saved. Correct them and check the file again.",
                refused,
            )
            % {"count": refused}
            if refused
            else _("Nothing was saved.")
        )
        messages.error(request, text)
        return
    summary = _("%(created)d to create, %(updated)d to update, %(unchanged)d unchanged.") % {
        "created": counts["created"],
        "updated": counts["updated"],
        "unchanged": counts["unchanged"],
    }
    if result.dry_run:
        messages.info(
            request,
            _("No problem found: %(summary)s Nothing was saved: choose “Import” to save it.")
            % {"summary": summary},
        )
    else:
        messages.success(
            request,
            _("Imported: %(created)d created, %(updated)d updated, %(unchanged)d unchanged.")
            % {"created": counts["created"], "updated": counts["updated"], "unchanged": counts["unchanged"]},
        )
