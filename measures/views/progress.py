"""Progress logging: a liaison's measures, the entry form, the Office's review and timeliness.

The review itself is the reviewed records' one pattern: ``EntryDecisionView`` is a
``core.views.reviewed.RecordDecisionView`` and the services follow ``core.workflow``.
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Prefetch, Q
from django.http import FileResponse, Http404, QueryDict
from django.shortcuts import redirect, render
from django.template.defaultfilters import filesizeformat
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from agencies.models import MemberUnit
from core import clock
from core.exports import table_response
from core.models import ChangeRecord
from core.permissions import LOG_PROGRESS, READ_ALL_SUBMITTED, get_restricted_object, may, require
from core.views.reviewed import RecordDecisionView, record_form_save
from core.workflow import EditConflict, WorkflowError, no_longer_editable
from measures.choices import ProgressStatus, ResponsibilityRole
from measures.forms import ProgressEntryForm, ReviewForm
from measures.models import (
    EvidenceFile,
    FigureDefinition,
    Measure,
    Plan,
    ProgressEntry,
    ProgressFigure,
    ReportingPeriod,
)
from measures.models.membership import answered_by_q
from measures.models.progress import PERIOD_CODE
from measures.selectors import progress as progress_selectors
from measures.selectors.implementation import own_lines, seen_lines
from measures.selectors.lineage import Lineage, with_former
from measures.selectors.plan import plan_current
from measures.services.progress import (
    PROGRESS_ENTRY,
    UNCHANGED,
    progress_entry_accept,
    progress_entry_return,
    progress_entry_save,
    progress_entry_submit,
)

# The review inbox's filters, carried to an entry and back after the decision.
INBOX_FILTERS = ("period", "unit", "page")


def _inbox_query(raw: str | None) -> str:
    """Only the inbox's own filters out of a query string (so nothing else rides along)."""
    query = QueryDict(raw or "")
    return urlencode({name: query[name] for name in INBOX_FILTERS if query.get(name)})


def _inbox_url(inbox_query: str) -> str:
    url = reverse("measures:review_inbox")
    return f"{url}?{inbox_query}" if inbox_query else url


def _entry_url(pk: int, inbox_query: str) -> str:
    url = reverse("measures:entry", kwargs={"pk": pk})
    return f"{url}?{urlencode({'inbox': inbox_query})}" if inbox_query else url


def _plan_and_period(request, plan_code: str | None = None, period_code: str | None = None):
    plan = (
        get_restricted_object(Plan.objects, request.user, code=plan_code)
        if plan_code
        else plan_current(request.user)
    )
    if plan is None:
        raise Http404
    periods = ReportingPeriod.objects.restrict(request.user).filter(plan=plan)
    code = period_code or request.GET.get("period")
    if code:
        period = get_restricted_object(periods.with_code(code), request.user)
    else:
        period = periods.current(plan, clock.today())
    return plan, period, periods


@login_required
def progress_home(request):
    if may(request.user, LOG_PROGRESS):
        return redirect("measures:my_measures")
    if may(request.user, READ_ALL_SUBMITTED):
        return redirect("measures:review_inbox")
    raise Http404


@login_required
def my_measures(request):
    require(request.user, LOG_PROGRESS)
    plan, period, periods = _plan_and_period(request)
    filters = {
        "area": int(request.GET["area"]) if request.GET.get("area", "").isdigit() else None,
        "role": request.GET.get("role", "") if request.GET.get("role") in ResponsibilityRole.values else "",
        "status": request.GET.get("status", "") if request.GET.get("status") in ProgressStatus.values else "",
    }
    lineage = Lineage.of_plan(plan, unit_ids=[request.user.unit_id])
    rows = progress_selectors.my_measures(request.user, plan, period, lineage=lineage, **filters)
    context = {
        "passed_on": progress_selectors.passed_on(request.user, plan, period, lineage=lineage),
        "plan": plan,
        "period": period,
        "periods": periods.filter(starts_on__lte=clock.today()),
        "rows": rows,
        "filters": filters,
        "areas": plan.areas.all(),
        "roles": ResponsibilityRole.choices,
        "statuses": ProgressStatus.choices,
        "returned": progress_selectors.returned_to_unit(request.user),
        "today": clock.today(),
    }
    return render(request, "measures/progress/my_measures.html", context)


def _measure_for_user(request, plan: Plan, ref: str) -> Measure:
    """The measure, if the user's role lets them see its progress: 404 for a unit not on it."""
    measure = get_restricted_object(Measure.objects.filter(plan=plan), request.user, ref=ref)
    if may(request.user, LOG_PROGRESS):
        # The unit's own measure, or one it answers for after a change of units (selectors.lineage).
        if not measure.responsibilities.filter(answered_by_q(request.user.unit_id)).exists():
            raise Http404
    elif not may(request.user, READ_ALL_SUBMITTED):
        raise Http404
    return measure


@login_required
def measure_period(request, plan, period, ref):
    """All units' entries on one measure for one period, side by side."""
    chosen = request.GET.get("period", "")
    if PERIOD_CODE.match(chosen) and chosen != period:  # the picker sends ?period=2009Q3
        return redirect("measures:measure_period", plan=plan, period=chosen, ref=ref)
    plan, period, periods = _plan_and_period(request, plan, period)
    measure = _measure_for_user(request, plan, ref)
    rows = progress_selectors.measure_period_entries(request.user, measure, period)
    own = next((row for row in rows if row.unit.pk == request.user.unit_id), None)
    context = {
        "plan": plan,
        "period": period,
        "periods": periods,
        "measure": measure,
        "rows": rows,
        "own": own,
        "can_log": own is not None and period.starts_on <= clock.today(),
    }
    return render(request, "measures/progress/measure_period.html", context)


@login_required
def entry_edit(request, plan, period, ref):
    """The liaison's own unit's entry on a measure for a period: create, edit, save or submit."""
    require(request.user, LOG_PROGRESS)
    plan, period, _periods = _plan_and_period(request, plan, period)
    measure = _measure_for_user(request, plan, ref)
    answer = Lineage.of_plan(plan, unit_ids=[request.user.unit_id]).answer(
        request.user.unit_id, measure.pk, period
    )
    if answer is None:  # e.g. a predecessor's liaison, for a period its successor answers for
        raise Http404
    role = answer.role
    entry = (
        ProgressEntry.objects.restrict(request.user)
        .filter(measure=measure, unit_id=request.user.unit_id, period=period)
        .prefetch_related(Prefetch("figures", queryset=ProgressFigure.objects.select_related("definition")))
        .first()
    )
    if entry is not None and not entry.is_editable and request.method != "POST":
        # (On POST the service refuses with the reason, and the form keeps what was typed.)
        messages.info(request, no_longer_editable(entry))
        return redirect("measures:entry", pk=entry.pk)
    figures = list(FigureDefinition.objects.filter(measures=measure))
    evidence = list(entry.evidence.all()) if entry else []
    form_kwargs = {
        "role": role,
        "figures": figures,
        "evidence": evidence,
        "max_size_label": filesizeformat(settings.EVIDENCE_MAX_BYTES),
        # The lines of the unit's own implementation plan on this measure, one of which it may name.
        "plan_lines": list(own_lines(request.user, plan.pk, measure_id=measure.pk)),
    }
    conflict = None
    if request.method == "POST":
        form = ProgressEntryForm(request.POST, request.FILES, **form_kwargs)
        if form.is_valid():
            saved = record_form_save(
                request,
                form,
                lambda: progress_entry_save(
                    actor=request.user,
                    measure=measure,
                    period=period,
                    status=form.cleaned_data.get("status", ""),
                    narrative=form.cleaned_data["narrative"],
                    figures=form.figure_values(),
                    version=form.cleaned_data["version"] or 0,  # 0: opened when there was none
                    new_files=form.cleaned_data["evidence"],
                    remove_file_ids=form.cleaned_data.get("remove_evidence") or [],
                    submit="submit" in request.POST,
                    plan_line_id=form.cleaned_data["plan_line"] if "plan_line" in form.fields else UNCHANGED,
                ),
                rebind=lambda data: ProgressEntryForm(data, **form_kwargs),
                submitted=_("Your entry was submitted to the IMCS Office."),
            )
            if saved.record is not None:
                return redirect("measures:entry", pk=saved.record.pk)
            form, conflict = saved.form, saved.conflict
            if conflict:
                entry = conflict.record
        if form.files.getlist("evidence"):
            form.add_error(
                "evidence", _("Nothing was saved, so the files you chose were not kept: choose them again.")
            )
    else:
        initial = {"version": entry.version if entry else None}
        if entry:
            initial.update(status=entry.status, narrative=entry.narrative, plan_line=entry.plan_line_id)
            initial.update({f"figure_{f.definition.code}": f.value for f in entry.figures.all()})
        form = ProgressEntryForm(initial=initial, **form_kwargs)
    context = {
        "plan": plan,
        "period": period,
        "measure": measure,
        "role": role,
        "former": answer.responsibility.unit if answer.former_id else None,
        "entry": entry,
        "evidence": evidence,  # read once, for the form and the list
        "form": form,
        "conflict": conflict,
        # A returned entry keeps the timeliness of its first submission.
        "late": clock.today() > period.deadline and not (entry and entry.first_submitted_at),
        "submittable": period.has_ended(clock.today()),
    }
    return render(request, "measures/progress/entry_form.html", context, status=409 if conflict else 200)


def _entry_page(request, entry: ProgressEntry, review_form=None, status=200):
    """The entry with its figures, files, history and the actions the user may take."""
    user = request.user
    with_former([entry])  # entry.former_unit: the unit the plan named, where another answers for it
    can_review = PROGRESS_ENTRY.may_decide(user, entry, "accept")
    inbox_query = _inbox_query(request.POST.get("inbox") or request.GET.get("inbox"))
    labels = {
        f"figures.{d.code}": d.name for d in FigureDefinition.objects.filter(plan=entry.measure.plan_id)
    }
    context = {
        "plan": entry.measure.plan,
        "entry": entry,
        "page_url": reverse("measures:entry", kwargs={"pk": entry.pk}),
        "history": [(record, record.lines(labels)) for record in ChangeRecord.objects.for_object(entry)],
        "can_edit": PROGRESS_ENTRY.may_edit(user, entry),
        # The line of the unit's implementation plan it reports on, to those who see that plan.
        "plan_line": next(iter(seen_lines(user, [entry.plan_line] if entry.plan_line_id else [])), None),
        "can_review": can_review,
        "review_form": review_form
        or (ReviewForm(initial={"version": entry.version}) if can_review else None),
        "submittable": entry.period.has_ended(clock.today()),
        "inbox_query": inbox_query,
        "inbox_url": _inbox_url(inbox_query),
    }
    return render(request, "measures/progress/entry_detail.html", context, status=status)


def _entry(request, pk) -> ProgressEntry:
    queryset = (
        ProgressEntry.objects.with_details()
        .select_related("plan_line__measure")
        .prefetch_related(
            Prefetch("figures", queryset=ProgressFigure.objects.select_related("definition")), "evidence"
        )
    )
    return get_restricted_object(queryset, request.user, pk=pk)


@login_required
def entry_detail(request, pk):
    return _entry_page(request, _entry(request, pk))


@login_required
@require_POST
def entry_submit(request, pk):
    try:
        version = int(request.POST.get("version", ""))
    except ValueError as exc:
        raise Http404 from exc
    try:
        progress_entry_submit(actor=request.user, entry_id=pk, version=version)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    except (WorkflowError, EditConflict) as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Your entry was submitted to the IMCS Office."))
    return redirect("measures:entry", pk=pk)


class EntryDecisionView(RecordDecisionView):
    """The Office accepts or returns an entry, then goes back to the inbox as it left it."""

    form_class = ReviewForm
    decisions = {"accept": progress_entry_accept, "return": progress_entry_return}
    record_id_name = "entry_id"

    def get_record(self):
        return _entry(self.request, self.kwargs["pk"])

    def inbox_query(self) -> str:
        return _inbox_query(self.request.POST.get("inbox"))

    def record_page(self, record, form, *, status):
        return _entry_page(self.request, record, review_form=form, status=status)

    def record_url(self, record):
        return _entry_url(record.pk, self.inbox_query())

    def done_url(self, record):
        return _inbox_url(self.inbox_query())  # the inbox as the reviewer left it

    def done_message(self, record, decision):
        if decision == "accept":
            return _("The entry was accepted.")
        return _("The entry was returned to %(unit)s with your comment.") % {"unit": record.unit}


entry_review = EntryDecisionView.as_view()


@login_required
def evidence_download(request, pk):
    """An evidence file, to those who may see its entry; 404 to everyone else."""
    evidence = get_restricted_object(EvidenceFile.objects, request.user, pk=pk)
    return FileResponse(
        evidence.file.open("rb"),
        as_attachment=True,
        filename=evidence.original_name,
        content_type=evidence.content_type,
    )


@login_required
def review_inbox(request):
    require(request.user, READ_ALL_SUBMITTED)
    plan, period, periods = _plan_and_period(request)
    selected = period if request.GET.get("period") else None
    unit_code = request.GET.get("unit", "")
    entries = progress_selectors.review_inbox(request.user, period=selected, unit_code=unit_code)
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    page.object_list = with_former(page.object_list)  # "人力资源社会保障部（原劳动保障部）"
    inbox_query = _inbox_query(request.GET.urlencode())
    context = {
        "plan": plan,
        "page": page,
        "periods": periods.filter(starts_on__lte=clock.today()),
        "selected_period": selected,
        "units": MemberUnit.objects.restrict(request.user)
        .filter(Q(responsibilities__measure__plan=plan) | Q(changes_in__plan=plan))
        .distinct(),
        "unit_code": unit_code,
        # Each entry's link carries the filters, so the decision brings the reviewer back here.
        "entry_query": urlencode({"inbox": inbox_query}) if inbox_query else "",
    }
    return render(request, "measures/progress/inbox.html", context)


def _timeliness(request):
    """The year asked for (default: the year being reported), its periods that have begun, the table."""
    require(request.user, READ_ALL_SUBMITTED)
    plan, current, periods = _plan_and_period(request)
    today = clock.today()
    years = list(plan.years)
    year = int(request.GET["year"]) if request.GET.get("year", "").isdigit() else current.year
    if year not in years:
        raise Http404
    shown = list(periods.filter(year=year, starts_on__lte=today))
    return plan, year, years, shown, progress_selectors.unit_timeliness(request.user, plan, shown, today)


@login_required
def timeliness(request):
    plan, year, years, periods, table = _timeliness(request)
    context = {"plan": plan, "year": year, "years": years, "periods": periods, "table": table}
    return render(request, "measures/progress/timeliness.html", context)


@login_required
def timeliness_export(request, fmt):
    """One row per unit and quarter, with the counts as numbers (for a spreadsheet to sum)."""
    plan, year, _years, periods, table = _timeliness(request)
    header = [
        _("Code"),
        _("Unit"),
        _("Quarter"),
        _("Expected"),
        _("On time"),
        _("Late"),
        _("Missing"),
        _("Verdict"),
    ]
    rows = (
        [unit.code, unit.name, str(c.period), c.expected, c.on_time, c.late, c.missing, c.verdict_label]
        for unit, cells in table
        for c in cells
    )
    return table_response(fmt, f"progress-timeliness-{year}", _("Timeliness"), header, rows, frozen_columns=3)
