"""The Office's tables: completeness and timeliness of provinces, indicators, 2007 baselines."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from agencies.models import Province
from core import clock
from core.choices import READERS_OF_ALL, Role
from core.exports import table_response
from core.permissions import require_role
from measures.models import ReportingPeriod
from reports import selectors
from reports.forms import BaselineForm
from reports.models import ProvinceBaseline
from reports.services.baselines import baseline_set
from reports.views.common import current_period, current_plan, year_asked


def _completeness(request):
    require_role(request.user, READERS_OF_ALL)
    plan = current_plan(request)
    year = year_asked(request, plan, current_period(request, plan).year)
    periods = list(ReportingPeriod.objects.filter(plan=plan, year=year).order_by("quarter"))
    return plan, year, selectors.province_completeness(periods, clock.today())


@login_required
def completeness(request):
    plan, year, table = _completeness(request)
    return render(
        request,
        "reports/completeness.html",
        {"plan": plan, "year": year, "years": plan.years, "table": table},
    )


def _percent(rate) -> str:
    return "" if rate is None else f"{rate:.0%}"


@login_required
def completeness_export(request, fmt):
    plan, year, table = _completeness(request)
    header = [_("Code"), _("Province"), *(str(p) for p in table.periods), _("Submitted"), _("On time")]
    rows = [
        [
            province.code,
            province.name,
            *(c.verdict_label for c in cells),
            _percent(rate.submitted_rate),
            _percent(rate.on_time_rate),
        ]
        for province, cells, rate in table.rows
    ]
    rows.append(
        [
            "",
            _("Submitted"),
            *(_percent(r.submitted_rate) for r in table.period_rates),
            _percent(table.total.submitted_rate),
            "",
        ]
    )
    rows.append(
        [
            "",
            _("On time"),
            *(_percent(r.on_time_rate) for r in table.period_rates),
            "",
            _percent(table.total.on_time_rate),
        ]
    )
    return table_response(
        fmt, f"quarterly-completeness-{year}", _("Completeness"), header, rows, frozen_columns=2
    )


@login_required
def indicators(request):
    """Solved / reported against 2007, and the share of rescued persons assisted.

    The Office and auditors see every province and the nation; a province sees its own row.
    """
    require_role(request.user, (*READERS_OF_ALL, Role.PROVINCE))
    plan = current_plan(request)
    year = year_asked(request, plan, current_period(request, plan).year)
    provinces = (
        Province.objects.filter(pk=request.user.province_id) if request.user.role == Role.PROVINCE else None
    )
    context = {
        "plan": plan,
        "year": year,
        "years": plan.years,
        "data": selectors.indicators(plan, year, provinces),
        "national": request.user.role in READERS_OF_ALL,
    }
    return render(request, "reports/indicators.html", context)


@login_required
def baselines(request):
    """The Office enters each province's 2007 cases reported and solved (all at once, or nothing)."""
    require_role(request.user, (Role.OFFICE, Role.AUDITOR, Role.ADMIN))
    plan = current_plan(request)
    provinces = list(Province.objects.all())
    saved = {b.province_id: b for b in ProvinceBaseline.objects.restrict(request.user).filter(plan=plan)}
    editable = request.user.role == Role.OFFICE
    if request.method == "POST" and editable:
        forms = [(p, BaselineForm(request.POST, prefix=p.code)) for p in provinces]
        if all(form.is_valid() for _p, form in forms):
            with transaction.atomic():
                for province, form in forms:
                    baseline_set(actor=request.user, plan=plan, province=province, **form.cleaned_data)
            messages.success(request, _("The baselines were saved."))
            return redirect("reports:baselines")
        messages.error(request, _("Nothing was saved: correct the rows marked below."))
    else:
        initial = {
            pk: {"cases_reported": b.cases_reported, "cases_solved": b.cases_solved}
            for pk, b in saved.items()
        }
        forms = [(p, BaselineForm(prefix=p.code, initial=initial.get(p.pk, {}))) for p in provinces]
    return render(request, "reports/baselines.html", {"plan": plan, "forms": forms, "editable": editable})
