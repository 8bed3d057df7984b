"""Implementation plans: the owner's plan form (lines and yearly targets, a province's local
measures with targets per division; formsets that work without JavaScript), a plan's page (lines
grouped by measure, targets, document, history, the Office's decision), the Office's table of every
member unit and province with its plan or none yet, and the owner's yearly self-check.

A plan a user may not see is 404; the decision is the reviewed records' one pattern
(``PlanDecisionView`` is a ``core.views.reviewed.RecordDecisionView``).
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count
from django.forms import formset_factory
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.template.defaultfilters import filesizeformat
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from agencies.choices import DivisionLevel
from agencies.models import Division
from core import clock
from core.choices import ReviewState
from core.forms import DecisionForm
from core.models import ChangeRecord
from core.permissions import READ_ALL_SUBMITTED, get_restricted_object, may
from core.views.reviewed import RecordDecisionView
from core.workflow import EditConflict, WorkflowError, no_longer_editable
from measures.choices import LineKind, SelfCheckStatus
from measures.forms import (
    DivisionTargetForm,
    ImplementationLineForm,
    ImplementationPlanForm,
    SelfCheckForm,
)
from measures.models import ImplementationPlan, Measure, Plan
from measures.models.owners import owner_of
from measures.selectors import implementation as selectors
from measures.selectors.lineage import units_writing_plans
from measures.services.implementation import (
    IMPLEMENTATION_PLAN,
    MAX_LINES,
    LineInput,
    SelfCheckInput,
    TargetInput,
    implementation_plan_accept,
    implementation_plan_reopen,
    implementation_plan_return,
    implementation_plan_save,
    implementation_plan_submit,
    self_check_years,
    self_checks_save,
)

PAGE_SIZE = 50
LineFormSet = formset_factory(ImplementationLineForm, extra=2, can_delete=True, max_num=MAX_LINES)
TargetFormSet = formset_factory(DivisionTargetForm, extra=2, can_delete=True, max_num=MAX_LINES)


def _plan(request, code: str) -> Plan:
    return get_restricted_object(Plan.objects, request.user, code=code)


def _record(request, pk: int) -> ImplementationPlan:
    record = selectors.plan_with_lines(ImplementationPlan.objects.restrict(request.user).filter(pk=pk))
    if record is None:
        raise Http404
    return record


@login_required
def plan_list(request, plan):
    """The Office's (and auditors') table of every member unit and province with its plan or none
    yet; an owner goes to its own plan; anyone else sees the plans they may read."""
    plan = _plan(request, plan)
    owner = owner_of(request.user)
    if owner is not None and not may(request.user, READ_ALL_SUBMITTED):
        record = ImplementationPlan.objects.restrict(request.user).filter(owner.q(), plan=plan).first()
        if record is None:
            return redirect("measures:implementation_plan_edit", plan=plan.code)
        return redirect("measures:implementation_plan", pk=record.pk)
    show = request.GET.get("show") if request.GET.get("show") == selectors.SHOW_MISSING else ""
    kind = request.GET.get("kind") if request.GET.get("kind") in ("unit", "province") else ""
    if may(request.user, READ_ALL_SUBMITTED):
        rows = selectors.owner_rows(request.user, plan, kind=kind)
        counts = selectors.state_counts(rows)
        if show:
            rows = [row for row in rows if row.record is None]
        page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    else:  # e.g. a prefecture's reporters: their province's plan once it is sent
        records = (
            ImplementationPlan.objects.restrict(request.user)
            .filter(plan=plan)
            .with_details()
            .annotate(line_count=Count("lines"))
            .order_by("province__code", "unit__seq", "pk")  # Meta.ordering does not hold with GROUP BY
        )
        page = Paginator(records, PAGE_SIZE).get_page(request.GET.get("page"))
        page.object_list = [selectors.OwnerRow(r.unit, r.province, r) for r in page.object_list]
        counts = None
    context = {
        "plan": plan,
        "page": page,
        "counts": counts,
        "show": show,
        "kind": kind,
        "query": urlencode({k: v for k, v in (("show", show), ("kind", kind)) if v}),
    }
    return render(request, "measures/implementation/plan_list.html", context)


def _divisions(user, owner) -> list[Division]:
    """The divisions below the owner's province (prefectures and counties), for local measures."""
    if not owner.province_id:
        return []
    return list(
        Division.objects.filter(code__startswith=user.province.code[:2], abolished_in__isnull=True)
        .exclude(level=DivisionLevel.PROVINCE)
        .order_by("code")
    )


def _line_initial(line, years) -> dict:
    initial = {
        "line_id": line.pk,
        "measure": line.measure_id,
        "kind": line.kind,
        "title": line.title,
        "text": line.text,
        "office_in_charge": line.office_in_charge,
        "budget": line.budget,
    }
    for target in line.targets.all():
        if target.division_id is None and target.year in years:
            initial[f"target_{target.year}"] = target.text
            initial[f"quantity_{target.year}"] = target.quantity
    return initial


def _forms_initial(record, years):
    """The formsets' initial rows for a saved plan: its lines, and its targets per division."""
    if record is None:
        return [], []
    lines = sorted(record.lines.all(), key=lambda line: (line.measure.seq, line.seq))
    line_rows = [_line_initial(line, years) for line in lines]
    target_rows = [
        {
            "line": index,
            "year": target.year,
            "division": target.division.code,
            "text": target.text,
            "quantity": target.quantity,
        }
        for index, line in enumerate(lines)
        for target in line.targets.all()
        if target.division_id
    ]
    return line_rows, target_rows


def _more_rows(data, prefix: str):
    """The posted data with one more empty row of the formset ``prefix`` (the "add a row" buttons)."""
    data = data.copy()
    total = int(data.get(f"{prefix}-TOTAL_FORMS") or 0)
    data[f"{prefix}-TOTAL_FORMS"] = str(min(total + 1, MAX_LINES))
    return data


def _inputs(line_forms, target_forms, divisions) -> list[LineInput]:
    """The service's lines out of the valid formsets (a deleted or untouched empty row is none)."""
    by_code = {d.code: d for d in divisions}
    kept: dict[int, LineInput] = {}
    for index, form in enumerate(line_forms.forms):
        data = form.cleaned_data
        if _deleted(form) or not data:  # removed, or an empty row left empty
            continue
        targets = [
            TargetInput(
                year=year,
                text=data.get(f"target_{year}") or "",
                quantity=data.get(f"quantity_{year}"),
                ref=f"{form.prefix}.target_{year}",
            )
            for year in form.years
            if data.get(f"target_{year}") or data.get(f"quantity_{year}") is not None
        ]
        kept[index] = LineInput(
            line_id=data.get("line_id"),
            measure=line_forms.measures.get(data.get("measure")),
            kind=data.get("kind") or LineKind.ACTION,
            title=data.get("title", ""),
            text=data.get("text", ""),
            office_in_charge=data.get("office_in_charge", ""),
            budget=data.get("budget"),
            targets=targets,
            ref=form.prefix,
        )
    for form in target_forms.forms:
        data = form.cleaned_data
        if _deleted(form) or not data:
            continue
        line = kept.get(data.get("line"))
        if line is None:
            raise ValidationError({f"{form.prefix}.line": [_("Choose a line of this plan that is kept.")]})
        line.targets.append(
            TargetInput(
                year=data.get("year"),
                division=by_code.get(data.get("division")),
                text=data.get("text", ""),
                quantity=data.get("quantity"),
                ref=form.prefix,
            )
        )
    return list(kept.values())


def _deleted(form) -> bool:
    return bool(form.cleaned_data.get("DELETE")) if hasattr(form, "cleaned_data") else False


def _put_errors(plan_form, line_forms, target_forms, error: ValidationError) -> None:
    """A service's refusal on the forms, each message by the field it names: ``summary`` on the
    plan's form, ``lines-2.budget`` on the third line's budget, ``lines-2.target_2009.text`` on
    its target for 2009, ``targets-0.division`` on the first division target's division."""
    forms_by_prefix = {f.prefix: f for f in (*line_forms.forms, *target_forms.forms)}
    if not hasattr(error, "error_dict"):
        plan_form.add_error(None, error.messages)
        return
    for key, texts in error.message_dict.items():
        prefix, _dot, rest = key.partition(".")
        form = forms_by_prefix.get(prefix)
        if form is None:
            plan_form.add_error(key if key in plan_form.fields else None, texts)
            continue
        name = rest
        if rest.startswith("target_"):
            target, _dot, part = rest.partition(".")
            year = target.removeprefix("target_")
            name = f"quantity_{year}" if part == "quantity" else target
        form.add_error(name if name in form.fields else None, texts)


@login_required
def plan_edit(request, plan):
    """The owner's implementation plan of ``plan``: write it (a new one, or the draft or returned
    one), save it as a draft or submit it. Bad input names the field and keeps everything typed."""
    plan = _plan(request, plan)
    owner = owner_of(request.user)
    if owner is None:
        raise PermissionDenied
    if owner.unit_id and owner.unit_id not in units_writing_plans(plan):
        raise Http404  # a unit that answers for no part of this plan writes no plan of it
    record = selectors.plan_with_lines(
        ImplementationPlan.objects.restrict(request.user).filter(owner.q(), plan=plan)
    )
    if record is not None and not record.is_editable and request.method != "POST":
        messages.info(request, no_longer_editable(record))
        return redirect("measures:implementation_plan", pk=record.pk)
    years = list(plan.years)
    measures = list(Measure.objects.restrict(request.user).filter(plan=plan))
    divisions = _divisions(request.user, owner)
    line_kwargs = {"measures": measures, "years": years, "local_measures": bool(owner.province_id)}
    max_size = filesizeformat(settings.EVIDENCE_MAX_BYTES)
    plan_kwargs = {"max_size_label": max_size, "has_document": bool(record and record.document)}

    def bind(data, files=None):
        line_forms = LineFormSet(data, prefix="lines", form_kwargs=line_kwargs)
        line_forms.measures = {m.pk: m for m in measures}
        count = int(data.get("lines-TOTAL_FORMS") or 0) if data is not None else 0
        target_kwargs = {"line_count": min(count, MAX_LINES), "years": years, "divisions": divisions}
        target_forms = TargetFormSet(data, prefix="targets", form_kwargs=target_kwargs)
        return ImplementationPlanForm(data, files, **plan_kwargs), line_forms, target_forms

    conflict = None
    status = 200
    if request.method == "POST":
        data = request.POST
        adding = "add_line" in data or "add_target" in data
        if adding:
            data = _more_rows(data, "lines" if "add_line" in data else "targets")
        plan_form, line_forms, target_forms = bind(data, request.FILES)
        if not adding:
            saved, conflict = _save(request, plan, plan_form, line_forms, target_forms, divisions, bind)
            if saved is not None:
                return redirect("measures:implementation_plan", pk=saved.pk)
            if conflict:
                plan_form, line_forms, target_forms = conflict[1]
                record, conflict = _record(request, conflict[0].record.pk), conflict[0]
                status = 409
            else:
                status = 400
    else:
        line_rows, target_rows = _forms_initial(record, years)
        line_forms = LineFormSet(initial=line_rows, prefix="lines", form_kwargs=line_kwargs)
        target_kwargs = {"line_count": len(line_rows) + 2, "years": years, "divisions": divisions}
        target_forms = TargetFormSet(initial=target_rows, prefix="targets", form_kwargs=target_kwargs)
        plan_form = ImplementationPlanForm(
            initial={
                "version": record.version if record else None,
                "summary": record.summary if record else "",
            },
            **plan_kwargs,
        )
    context = {
        "plan": plan,
        "record": record,
        "owner": record.owner if record else _owner_name(request.user, owner),
        "plan_form": plan_form,
        "line_forms": line_forms,
        "target_forms": target_forms if owner.province_id else None,
        "conflict": conflict,
        "max_lines": MAX_LINES,
    }
    return render(request, "measures/implementation/plan_form.html", context, status=status)


def _owner_name(user, owner):
    return user.unit if owner.unit_id else user.province


def _save(request, plan, plan_form, line_forms, target_forms, divisions, bind):
    """Save the bound forms through the service: (the plan, None) when saved; (None, None) when
    refused (the errors are on the forms); (None, (conflict, rebound forms)) on a stale version."""
    valid = plan_form.is_valid() & line_forms.is_valid() & target_forms.is_valid()
    if request.FILES.get("document") and not valid:
        plan_form.add_error(
            "document", _("Nothing was saved, so the file you chose was not kept: choose it again.")
        )
    if not valid:
        return None, None
    try:
        lines = _inputs(line_forms, target_forms, divisions)
        record = implementation_plan_save(
            actor=request.user,
            plan=plan,
            summary=plan_form.cleaned_data["summary"],
            lines=lines,
            version=plan_form.cleaned_data["version"] or 0,  # 0: opened when there was none
            document=plan_form.cleaned_data.get("document"),
            remove_document=plan_form.cleaned_data.get("remove_document", False),
            submit="submit" in request.POST,
        )
    except ValidationError as error:
        _put_errors(plan_form, line_forms, target_forms, error)
        return None, None
    except EditConflict as error:
        data = request.POST.copy()
        data["version"] = error.record.version
        forms = bind(data)
        for form in (forms[0], forms[1], forms[2]):
            form.is_valid()
        return None, (error, forms)
    except WorkflowError as error:
        plan_form.add_error(None, str(error))
        return None, None
    if record.state == ReviewState.SUBMITTED:
        messages.success(request, _("Your implementation plan was submitted to the IMCS Office."))
    else:
        messages.success(request, _("Your draft was saved. Submit it when it is complete."))
    return record, None


def _plan_page(request, record, decision_form=None, status=200):
    user = request.user
    labels = {}
    for line in record.lines.all():
        labels[f"lines.{line.seq}"] = _("Line %(number)d") % {"number": line.seq}
        labels[f"lines.{line.seq}.targets"] = _("Targets of line %(number)d") % {"number": line.seq}
    can_decide = any(IMPLEMENTATION_PLAN.may_decide(user, record, d) for d in ("accept", "reopen"))
    owns = IMPLEMENTATION_PLAN.owns(user, record)
    context = {
        "plan": record.plan,
        "record": record,
        "groups": selectors.lines_by_measure(record),
        "history": [(c, _history_lines(c, labels)) for c in ChangeRecord.objects.for_object(record)],
        "can_edit": IMPLEMENTATION_PLAN.may_edit(user, record),
        "can_accept": IMPLEMENTATION_PLAN.may_decide(user, record, "accept"),
        "can_reopen": IMPLEMENTATION_PLAN.may_decide(user, record, "reopen"),
        "decision_form": decision_form
        or (DecisionForm(initial={"version": record.version}) if can_decide else None),
        "self_check_years": self_check_years(record) if record.state == ReviewState.ACCEPTED else [],
        "owns": owns,
    }
    return render(request, "measures/implementation/plan_detail.html", context, status=status)


def _history_lines(change, labels):
    """The history's lines, naming a self-check's line by its number (``self_check.2009.<id>``)."""
    result = []
    for label, old, new in change.lines(labels):
        if label.startswith("self_check."):
            _prefix, year, _line = label.split(".")
            label = _("Self-check %(year)s") % {"year": year}
        elif label.startswith("lines."):
            label = _("Line %(number)s") % {"number": label.split(".")[1]}
        result.append((label, old, new))
    return result


@login_required
def plan_detail(request, pk):
    return _plan_page(request, _record(request, pk))


@login_required
@require_POST
def plan_submit(request, pk):
    try:
        version = int(request.POST.get("version", ""))
    except ValueError as exc:
        raise Http404 from exc
    try:
        implementation_plan_submit(actor=request.user, record_id=pk, version=version)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    except (WorkflowError, EditConflict) as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Your implementation plan was submitted to the IMCS Office."))
    return redirect("measures:implementation_plan", pk=pk)


class PlanDecisionView(RecordDecisionView):
    """The Office accepts, returns or reopens a plan, then goes back to the table of plans."""

    form_class = DecisionForm
    decisions = {
        "accept": implementation_plan_accept,
        "return": implementation_plan_return,
        "reopen": implementation_plan_reopen,
    }
    done_messages = {
        "accept": gettext_lazy("The implementation plan was accepted."),
        "return": gettext_lazy("The implementation plan was returned with your comment."),
        "reopen": gettext_lazy(
            "The implementation plan was reopened for correction; the reason is in its history."
        ),
    }

    def get_record(self):
        return _record(self.request, self.kwargs["pk"])

    def record_page(self, record, form, *, status):
        return _plan_page(self.request, record, decision_form=form, status=status)

    def record_url(self, record):
        return reverse("measures:implementation_plan", kwargs={"pk": record.pk})

    def done_url(self, record):
        return reverse("measures:implementation_plans", kwargs={"plan": record.plan.code})

    def done_message(self, record, decision):
        return str(self.done_messages[decision])


plan_decide = PlanDecisionView.as_view()


@login_required
def plan_document(request, pk):
    """The plan's document, to those who may see the plan; 404 to everyone else."""
    record = get_restricted_object(ImplementationPlan.objects, request.user, pk=pk)
    if not record.document:
        raise Http404
    return FileResponse(
        record.document.open("rb"),
        as_attachment=True,
        filename=record.document_name,
        content_type=record.document_type,
    )


@login_required
def self_check(request, pk, year):
    """A year's self-check of an accepted plan: its owner writes a status and a note per line;
    whoever sees the plan reads it."""
    record = _record(request, pk)
    if record.state != ReviewState.ACCEPTED or year not in self_check_years(record):
        raise Http404
    lines = sorted(record.lines.all(), key=lambda line: (line.measure.seq, line.seq))
    owns = IMPLEMENTATION_PLAN.owns(request.user, record)
    saved = {c.line_id: c for line in lines for c in line.self_checks.all() if c.year == year}
    status = 200
    if request.method == "POST":
        if not owns:
            raise PermissionDenied
        form = SelfCheckForm(request.POST, lines=lines)
        if form.is_valid():
            checks = [
                SelfCheckInput(
                    line_id=line.pk,
                    status=form.cleaned_data[f"line_{line.pk}_status"],
                    note=form.cleaned_data[f"line_{line.pk}_note"],
                )
                for line in lines
            ]
            try:
                self_checks_save(actor=request.user, record_id=record.pk, year=year, checks=checks)
            except ValidationError as error:
                for key, texts in error.message_dict.items():
                    form.add_error(key if key in form.fields else None, texts)
            except WorkflowError as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, _("The self-check of %(year)d was saved.") % {"year": year})
                return redirect("measures:implementation_self_check", pk=record.pk, year=year)
        status = 400
    else:
        initial = {}
        for line_id, check in saved.items():
            initial[f"line_{line_id}_status"] = check.status
            initial[f"line_{line_id}_note"] = check.note
        form = SelfCheckForm(initial=initial, lines=lines) if owns else None
    rows = [(line, saved.get(line.pk), form.line_fields(line.pk) if form else None) for line in lines]
    context = {
        "plan": record.plan,
        "record": record,
        "year": year,
        "years": self_check_years(record),
        "rows": rows,
        "form": form,
        "statuses": SelfCheckStatus,
        "checked_on": clock.today(),
    }
    return render(request, "measures/implementation/self_check.html", context, status=status)
