"""The page of case statistics: aggregates for everyone signed in, small cells suppressed.

Every table the page shows is a slice of the one protected cube of ``cases.selectors`` (division,
category, status, year of rescue): choosing a province, a category, a status or a year narrows the
slice, never the protection, so that no two answers of the page subtract to a hidden count."""

from django import forms
from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache

from agencies.models import Province
from cases import selectors
from cases.choices import CaseStatus, Category

ROWS = [
    ("division", gettext_lazy("Division (provinces, or the chosen province's prefectures)")),
    ("status", gettext_lazy("Status")),
    ("year", gettext_lazy("Year of rescue")),
]
COLUMNS = [("category", gettext_lazy("Category")), ("status", gettext_lazy("Status"))]


class StatisticsForm(forms.Form):
    """What the page shows: rows, columns, and the narrowing of the other dimensions (GET)."""

    province = forms.ModelChoiceField(
        Province.objects.all(),
        to_field_name="code",
        required=False,
        label=gettext_lazy("Province"),
        empty_label=gettext_lazy("Whole country"),
    )
    by = forms.ChoiceField(choices=ROWS, required=False, label=gettext_lazy("Rows"))
    columns = forms.ChoiceField(choices=COLUMNS, required=False, label=gettext_lazy("Columns"))
    category = forms.ChoiceField(
        choices=[("", gettext_lazy("All categories")), *Category.choices],
        required=False,
        label=gettext_lazy("Category"),
    )
    status = forms.ChoiceField(
        choices=[("", gettext_lazy("All statuses")), *CaseStatus.choices],
        required=False,
        label=gettext_lazy("Status"),
    )
    year = forms.IntegerField(
        min_value=1900, max_value=2100, required=False, label=gettext_lazy("Year of rescue")
    )


def _caption(rows: str, columns: str, province, category: str, status: str, year) -> str:
    names = {
        "division": _("prefecture") if province else _("province"),
        "category": _("category"),
        "status": _("status"),
        "year": _("year of rescue"),
    }
    caption = _("Rescued women and children by %(rows)s and %(columns)s") % {
        "rows": names[rows],
        "columns": names[columns],
    }
    scope = [province.name if province else _("whole country")]
    if category:
        scope.append(str(Category(category).label))
    if status:
        scope.append(str(CaseStatus(status).label))
    if year:
        scope.append(_("%(year)s") % {"year": year})
    return _("%(caption)s (%(scope)s)") % {"caption": caption, "scope": _(", ").join(scope)}


@never_cache
@login_required
def statistics(request):
    """Aggregates for everyone signed in, with small cells suppressed."""
    data = request.GET.copy()
    if data.get("by") == "province":  # the page's former name for rows by division
        data["by"] = "division"
    form = StatisticsForm(data)
    form.is_valid()  # a bad choice is named by the form; the rest of the choices still apply
    chosen = form.cleaned_data
    province = chosen.get("province")
    by = chosen.get("by") or "division"
    columns = chosen.get("columns") or "category"
    if columns == by:
        columns = "category" if by != "category" else "status"
    # A dimension shown as rows or columns is not narrowed as well.
    category = "" if "category" in (by, columns) else chosen.get("category") or ""
    status = "" if "status" in (by, columns) else chosen.get("status") or ""
    year = None if by == "year" else chosen.get("year")
    table = selectors.suppressed_statistics(
        request.user,
        by,
        columns,
        province=province,
        category=category or None,
        status=status or None,
        year=year,
    )
    context = {
        "form": form,
        "table": table,
        "caption": _caption(by, columns, province, category, status, year),
        "services": selectors.service_statistics(request.user),
        "by": by,
        "columns": columns,
        "province": province,
        "category": category,
        "status": status,
        "year": year,
        "rows_choices": ROWS,
        "column_choices": COLUMNS,
        "provinces": form.fields["province"].queryset,
        "categories": Category.choices,
        "statuses": CaseStatus.choices,
    }
    return render(request, "cases/statistics.html", context)
