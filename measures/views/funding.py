"""Funding by channel: the owner's page of a year (its lines, a form to add one, each line's edit
and delete), and the totals by channel, year and area with each owner's totals a page at a time.

A unit's liaison officers and a province's own reporting officers write their lines; the Office and
auditors read every line and the totals (and change none: 403); anyone else finds no funding (404).
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core import clock
from core.forms import add_service_errors
from core.models import ChangeRecord
from core.permissions import CHANGE, READ_ALL_SUBMITTED, READ_HISTORY, allows, get_restricted_object, may
from core.workflow import EditConflict
from measures.forms import FundingLineForm
from measures.models import FundingLine, Plan
from measures.models.owners import owner_of
from measures.selectors import funding as selectors
from measures.services.funding import (
    FundingInput,
    funding_line_add,
    funding_line_change,
    funding_line_delete,
)

PAGE_SIZE = 25


def _plan(request, code: str) -> Plan:
    return get_restricted_object(Plan.objects, request.user, code=code)


def _year(request, plan: Plan) -> int:
    """The year asked for (``?year=``), else this year within the plan's years."""
    try:
        year = int(request.GET.get("year") or request.POST.get("year") or 0)
    except ValueError:
        year = 0
    if year in plan.years:
        return year
    return min(max(clock.today().year, plan.start_year), plan.end_year)


def _input(data) -> FundingInput:
    return FundingInput(
        year=data["year"],
        channel=data["channel"],
        area=data["area"],
        donor_kind=data["donor_kind"],
        donor=data["donor"],
        budgeted=data["budgeted"],
        amount=data["amount"],
        note=data["note"],
    )


def _owner_page(request, plan: Plan, year: int, form=None, status=200):
    owner = owner_of(request.user)
    lines = list(selectors.owner_lines(request.user, plan, owner, year))
    own = selectors.visible_lines(request.user, plan, years=[year])
    context = {
        "plan": plan,
        "year": year,
        "years": list(plan.years),
        "owner": owner,
        "lines": lines,
        "totals": selectors.funding_totals(request.user, plan, lines=own.filter(owner.q())),
        "form": form or FundingLineForm(plan=plan, initial={"year": year}),
    }
    return render(request, "measures/funding/mine.html", context, status=status)


@login_required
def funding_home(request, plan):
    """The owner's lines of a year, with a form to add one (``POST``). A reader of every line who
    owns none is shown the totals; anyone else finds nothing here (404)."""
    plan = _plan(request, plan)
    if owner_of(request.user) is None:
        if may(request.user, READ_ALL_SUBMITTED):
            if request.method == "POST":
                raise PermissionDenied
            return redirect("measures:funding_totals", plan=plan.code)
        raise Http404
    year = _year(request, plan)
    if request.method != "POST":
        return _owner_page(request, plan, year)
    form = FundingLineForm(request.POST, plan=plan)
    if form.is_valid():
        try:
            line = funding_line_add(actor=request.user, plan=plan, line=_input(form.cleaned_data))
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The funding line was added."))
            return redirect(f"{reverse('measures:funding', kwargs={'plan': plan.code})}?year={line.year}")
    return _owner_page(request, plan, year, form=form, status=400)


def _line(request, pk: int) -> FundingLine:
    line = FundingLine.objects.restrict(request.user).select_related("plan", "area").filter(pk=pk).first()
    if line is None:
        raise Http404
    return line


@login_required
def funding_line_edit(request, pk):
    """A line's form (``GET``) and its change (``POST``); its history below."""
    line = _line(request, pk)
    if not allows(request.user, CHANGE, line):
        raise PermissionDenied  # the Office and auditors read every line and change none
    plan, conflict, status = line.plan, None, 200
    if request.method == "POST":
        form = FundingLineForm(request.POST, plan=plan)
        if form.is_valid():
            try:
                saved = funding_line_change(
                    actor=request.user,
                    line_id=line.pk,
                    version=form.cleaned_data["version"],
                    line=_input(form.cleaned_data),
                )
            except ValidationError as error:
                add_service_errors(form, error)
            except EditConflict as error:
                conflict, line = error, _line(request, pk)
                data = request.POST.copy()
                data["version"] = line.version
                form = FundingLineForm(data, plan=plan)
                form.is_valid()
            else:
                messages.success(request, _("The funding line was saved."))
                return redirect(
                    f"{reverse('measures:funding', kwargs={'plan': plan.code})}?year={saved.year}"
                )
        status = 409 if conflict else 400
    else:
        initial = {name: getattr(line, name) for name in ("year", "channel", "donor_kind", "donor", "note")}
        initial.update(area=line.area_id, amount=line.amount, budgeted=line.budgeted, version=line.version)
        form = FundingLineForm(plan=plan, initial=initial)
    history = None
    if owner_of(request.user) or may(request.user, READ_HISTORY):
        history = [(record, record.lines()) for record in ChangeRecord.objects.for_object(line)]
    context = {"plan": plan, "line": line, "form": form, "conflict": conflict, "history": history}
    return render(request, "measures/funding/form.html", context, status=status)


@login_required
@require_POST
def funding_line_remove(request, pk):
    """Delete a line read at ``version`` (the form's hidden field)."""
    line = _line(request, pk)
    try:
        version = int(request.POST.get("version", ""))
    except ValueError as exc:
        raise Http404 from exc
    try:
        funding_line_delete(actor=request.user, line_id=line.pk, version=version)
    except EditConflict as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("The funding line was deleted."))
    return redirect(f"{reverse('measures:funding', kwargs={'plan': line.plan.code})}?year={line.year}")


@login_required
def funding_totals(request, plan):
    """The totals of every line the reader sees, by channel, year and area (``?year=``: one year),
    and each owner's totals a page at a time (the Office and auditors; an owner sees its own)."""
    plan = _plan(request, plan)
    if owner_of(request.user) is None and not may(request.user, READ_ALL_SUBMITTED):
        raise Http404
    year = request.GET.get("year", "")
    years = [int(year)] if year.isdigit() and int(year) in plan.years else None
    totals = selectors.funding_totals(request.user, plan, years=years)
    page = Paginator(selectors.owner_groups(request.user, plan, years=years), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    context = {
        "plan": plan,
        "years": list(plan.years),
        "year": years[0] if years else None,
        "totals": totals,
        "page": page,
        "owners": selectors.owner_totals(request.user, plan, page.object_list, years=years),
        "page_query": f"year={years[0]}" if years else "",
        "is_owner": owner_of(request.user) is not None,
    }
    return render(request, "measures/funding/totals.html", context)
