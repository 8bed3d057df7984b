"""The baselines page: each province's 2007 cases reported and solved, entered by the Office."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from agencies.models import Province
from core.permissions import READ_ALL_SUBMITTED, REVIEW, may, require
from reports.forms import BaselineForm
from reports.models import ProvinceBaseline
from reports.services.baselines import baseline_set
from reports.views.plan_and_period import current_plan


@login_required
def baselines(request):
    """The Office enters each province's 2007 cases reported and solved (all at once, or nothing)."""
    require(request.user, READ_ALL_SUBMITTED)
    plan = current_plan(request)
    provinces = list(Province.objects.all())
    saved = {b.province_id: b for b in ProvinceBaseline.objects.restrict(request.user).filter(plan=plan)}
    editable = may(request.user, REVIEW)
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
