"""Plan browser: overview, areas, measures, units and the responsibility matrix."""

from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from agencies.models import MemberUnit
from core.exports import table_response
from core.permissions import get_restricted_object
from measures.choices import ClauseKind
from measures.models import Area, Measure, Plan, PlanClause, PlanMembership, Target
from measures.selectors.lineage import mark_answering
from measures.selectors.plan import (
    areas_with_counts,
    measures_with_units,
    plan_current,
    plan_members,
    plan_unit_changes,
    responsibility_matrix,
    unit_measures,
)


@login_required
def home(request):
    plan = plan_current(request.user)
    if plan is None:
        raise Http404(_("No plan of action has been loaded yet."))
    return redirect("measures:plan", plan=plan.code)


def _plan(request, code: str) -> Plan:
    return get_restricted_object(Plan.objects, request.user, code=code)


@login_required
def plan_detail(request, plan):
    plan = _plan(request, plan)
    clauses = list(PlanClause.objects.restrict(request.user).filter(plan=plan))
    context = {
        "plan": plan,
        "areas": areas_with_counts(plan),
        "clause_groups": [(kind.label, [c for c in clauses if c.kind == kind]) for kind in ClauseKind],
        "targets": Target.objects.restrict(request.user).filter(plan=plan).select_related("area", "measure"),
        "plans": Plan.objects.restrict(request.user),
    }
    return render(request, "measures/plan_detail.html", context)


@login_required
def area_detail(request, plan, seq):
    plan = _plan(request, plan)
    area = get_restricted_object(Area.objects, request.user, plan=plan, seq=seq)
    measures = mark_answering(
        measures_with_units(Measure.objects.restrict(request.user).filter(area=area)), plan
    )
    context = {
        "plan": plan,
        "area": area,
        "measures": measures,
        "targets": Target.objects.restrict(request.user).filter(area=area).select_related("measure"),
    }
    return render(request, "measures/area_detail.html", context)


@login_required
def measure_detail(request, plan, ref):
    plan = _plan(request, plan)
    queryset = measures_with_units(Measure.objects.filter(plan=plan))
    measure = get_restricted_object(queryset, request.user, ref=ref)
    sub_measures = measures_with_units(measure.sub_measures.restrict(request.user))
    measure, *sub_measures = mark_answering([measure, *sub_measures], plan)
    context = {
        "plan": plan,
        "measure": measure,
        "sub_measures": sub_measures,
        "targets": Target.objects.restrict(request.user).filter(
            Q(measure=measure) | Q(measure__isnull=True, area=measure.area)
        ),
    }
    return render(request, "measures/measure_detail.html", context)


@login_required
def unit_list(request, plan):
    """The plan's member units as the plan lists them (order, lead, names as written), and the
    changes of member units while it ran."""
    plan = _plan(request, plan)
    context = {"plan": plan, "members": plan_members(plan), "changes": plan_unit_changes(plan)}
    return render(request, "measures/unit_list.html", context)


@login_required
def unit_detail(request, plan, unit):
    plan = _plan(request, plan)
    unit = get_restricted_object(MemberUnit.objects, request.user, code=unit)
    by_role = unit_measures(plan, unit)
    changes = plan_unit_changes(plan)
    context = {
        "plan": plan,
        "unit": unit,
        "membership": PlanMembership.objects.filter(plan=plan, unit=unit).first(),
        "responsible": by_role["R"],
        "cooperating": by_role["C"],
        "changes_out": [c for c in changes if c.predecessor_id == unit.pk],
        "changes_in": [c for c in changes if c.successor_id == unit.pk],
    }
    return render(request, "measures/unit_detail.html", context)


@login_required
def matrix(request, plan):
    plan = _plan(request, plan)
    context = {
        "plan": plan,
        "matrix": responsibility_matrix(request.user, plan),
        "mark_r": pgettext("responsibility mark", "R"),
        "mark_c": pgettext("responsibility mark", "C"),
    }
    return render(request, "measures/matrix.html", context)


@login_required
def matrix_export(request, plan, fmt):
    plan = _plan(request, plan)
    matrix = responsibility_matrix(request.user, plan)
    header = [_("Code"), _("Unit")] + [m.ref for m in matrix.measures]
    rows = ([unit.code, unit.name, *marks] for unit, marks in matrix.rows())
    return table_response(
        fmt,
        filename=f"responsibility-matrix-{plan.code}",
        sheet_title=_("Responsibility matrix"),
        header=header,
        rows=rows,
        frozen_columns=2,
    )
