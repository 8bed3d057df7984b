"""Evaluation rounds: the list (the Office opens one), a round's page (units self-assess, the Office
assesses and closes), the comparison of two rounds, and the evidence files."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.template.defaultfilters import filesizeformat
from django.urls import reverse
from django.utils.translation import gettext as _

from core.forms import add_service_errors
from core.permissions import (
    LOG_PROGRESS,
    READ_ALL_SUBMITTED,
    REVIEW,
    TAKE_PART_IN_EVALUATION,
    get_restricted_object,
    may,
    require,
)
from core.workflow import EditConflict, WorkflowError
from measures import services
from measures.forms import EvaluationRoundForm, OfficeAssessmentForm, SelfAssessmentForm
from measures.models import EvaluationRound, SelfAssessment
from measures.selectors import evaluation as evaluation_selectors
from measures.selectors.plan import plan_current


def _round(request, pk) -> EvaluationRound:
    return get_restricted_object(
        EvaluationRound.objects.select_related("plan", "closed_by"), request.user, pk=pk
    )


@login_required
def round_list(request):
    """Every round with its state and completeness; the Office opens a new one here."""
    user = request.user
    require(user, TAKE_PART_IN_EVALUATION)
    plan = plan_current(user)
    form = None
    if may(user, REVIEW) and plan is not None:
        form = EvaluationRoundForm(request.POST if request.method == "POST" else None)
        if request.method == "POST" and form.is_valid():
            try:
                evaluation_round = services.evaluation_round_open(actor=user, plan=plan, **form.cleaned_data)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(
                    request, _("The round “%(round)s” was opened.") % {"round": evaluation_round}
                )
                return redirect("measures:evaluation_round", pk=evaluation_round.pk)
    elif request.method == "POST":
        raise Http404
    rounds = list(EvaluationRound.objects.restrict(user).select_related("plan").order_by("-opens_on", "-pk"))
    completeness = evaluation_selectors.rounds_completeness(user, rounds)
    context = {
        "plan": plan,
        "rows": [(r, completeness[r.pk]) for r in rounds],
        "form": form,
        "self_assesses": may(user, LOG_PROGRESS),
        "sees_office": may(user, READ_ALL_SUBMITTED),
    }
    return render(request, "measures/evaluation/round_list.html", context)


def _self_form(request, row, data=None, files=None):
    own = row.units[0].assessment if row.units else None
    if own is not None and own.is_submitted:
        return None
    initial = {"version": own.version if own else 0}
    if own:
        initial.update(rating=own.rating, narrative=own.narrative)
    return SelfAssessmentForm(
        data,
        files,
        prefix=f"m{row.measure.pk}",
        initial=initial,
        max_size_label=filesizeformat(settings.EVIDENCE_MAX_BYTES),
        has_evidence=bool(own and own.evidence_name),
    )


def _office_form(row, data=None):
    initial = {"version": row.office.version if row.office else 0}
    if row.office:
        initial.update(rating=row.office.rating, comment=row.office.comment)
    return OfficeAssessmentForm(data, prefix=f"m{row.measure.pk}", initial=initial)


def _save(request, evaluation_round, row):
    """Save the posted form of one measure; the bound form (with its errors) if nothing was saved."""
    user = request.user
    self_assesses = may(user, LOG_PROGRESS)
    if self_assesses:
        form = _self_form(request, row, request.POST, request.FILES)
    else:
        form = _office_form(row, request.POST)
    if form is None:  # submitted since the page was opened: the service says so
        form = SelfAssessmentForm(
            request.POST,
            prefix=f"m{row.measure.pk}",
            max_size_label=filesizeformat(settings.EVIDENCE_MAX_BYTES),
        )
    if not form.is_valid():
        return form, 200
    data = form.cleaned_data
    try:
        if self_assesses:
            services.self_assessment_save(
                actor=user,
                round_id=evaluation_round.pk,
                measure=row.measure,
                rating=data["rating"],
                narrative=data["narrative"],
                version=data["version"] or 0,
                evidence=data.get("evidence"),
                remove_evidence=bool(data.get("remove_evidence")),
                submit="submit" in request.POST,
            )
        else:
            services.office_assessment_save(
                actor=user,
                round_id=evaluation_round.pk,
                measure=row.measure,
                rating=data["rating"],
                comment=data["comment"],
                version=data["version"] or 0,
            )
    except ValidationError as error:
        add_service_errors(form, error)
        status = 200
    except EditConflict as error:
        # Keep what the user typed, but against the version now saved, so saving again works.
        data = request.POST.copy()
        data[form.add_prefix("version")] = error.record.version
        if self_assesses:
            form = _self_form(request, row, data) or form
        else:
            form = _office_form(row, data)
        form.is_valid()
        form.add_error(None, str(error))
        status = 409
    except WorkflowError as error:
        form.add_error(None, str(error))
        status = 409
    else:
        return None, 200
    if form.files:
        form.add_error(None, _("Nothing was saved, so the file you chose was not kept: choose it again."))
    return form, status


@login_required
def round_detail(request, pk):
    """Per area and measure, the units' self-assessments and the Office's assessment; the forms the
    user may fill in (a liaison officer: their unit's; the Office: its own) while the round is open."""
    user = request.user
    evaluation_round = _round(request, pk)
    rows = evaluation_selectors.round_measures(user, evaluation_round)
    self_assesses, reviews = may(user, LOG_PROGRESS), may(user, REVIEW)
    assesses = self_assesses or reviews  # a unit its measures, the Office every measure
    editor = evaluation_round.is_open and assesses
    status = 200
    posted = None
    if request.method == "POST":
        if not editor:
            if not evaluation_round.is_open and assesses:
                messages.error(request, _("This round is closed: its assessments can no longer be changed."))
                return redirect("measures:evaluation_round", pk=pk)
            raise Http404
        posted = next((r for r in rows if r.measure.ref == request.POST.get("measure")), None)
        if posted is None:
            raise Http404  # not a measure this user assesses
        form, status = _save(request, evaluation_round, posted)
        if form is None:
            if self_assesses and "submit" in request.POST:
                message = _("Your self-assessment of %(measure)s was submitted to the IMCS Office.")
            elif self_assesses:
                message = _("Your self-assessment of %(measure)s was saved. Submit it when it is complete.")
            else:
                message = _("The Office's assessment of %(measure)s was saved.")
            messages.success(request, message % {"measure": posted.measure.label})
            return redirect(
                reverse("measures:evaluation_round", kwargs={"pk": pk}) + f"#m{posted.measure.pk}"
            )
        posted.form = form
    if editor:
        for row in rows:
            if row is not posted:
                row.form = _self_form(request, row) if self_assesses else _office_form(row)
    areas = []
    for row in rows:
        if not areas or areas[-1][0].pk != row.measure.area_id:
            areas.append((row.measure.area, []))
        areas[-1][1].append(row)
    context = {
        "round": evaluation_round,
        "areas": areas,
        "self_assesses": self_assesses,
        "reviews": reviews,
        "sees_office": may(user, READ_ALL_SUBMITTED),
        "posted": posted,
        "page_url": reverse("measures:evaluation_round", kwargs={"pk": pk}),
    }
    return render(request, "measures/evaluation/round_detail.html", context, status=status)


@login_required
def round_close(request, pk):
    """The Office closes a round, after a page that says what closing means."""
    require(request.user, REVIEW)
    evaluation_round = _round(request, pk)
    if request.method == "POST":
        try:
            services.evaluation_round_close(actor=request.user, round_id=evaluation_round.pk)
        except WorkflowError as error:
            messages.error(request, str(error))
        else:
            messages.success(
                request,
                _("The round “%(round)s” was closed: its assessments are now frozen.")
                % {"round": evaluation_round},
            )
        return redirect("measures:evaluation_round", pk=pk)
    if not evaluation_round.is_open:
        messages.info(request, _("This round is closed: its assessments can no longer be changed."))
        return redirect("measures:evaluation_round", pk=pk)
    completeness = evaluation_selectors.rounds_completeness(request.user, [evaluation_round])[
        evaluation_round.pk
    ]
    context = {"round": evaluation_round, "completeness": completeness}
    return render(request, "measures/evaluation/round_close.html", context)


@login_required
def rounds_compare(request):
    """Two rounds side by side: each measure's ratings in the first and in the second, changes marked."""
    user = request.user
    require(user, TAKE_PART_IN_EVALUATION)
    rounds = list(EvaluationRound.objects.restrict(user).select_related("plan").order_by("opens_on", "pk"))
    by_id = {str(r.pk): r for r in rounds}
    first, second = by_id.get(request.GET.get("first", "")), by_id.get(request.GET.get("second", ""))
    if first is None and second is None and len(rounds) >= 2:
        first, second = rounds[-2], rounds[-1]
    error = ""
    rows = []
    if request.GET and (first is None or second is None):
        error = _("Choose two rounds to compare.")
    elif first and second:
        if first.plan_id != second.plan_id:
            error = _(
                "Choose two rounds of the same plan: the measures of different plans cannot be compared."
            )
        else:
            rows = evaluation_selectors.rounds_compare(user, first, second)
    context = {
        "rounds": rounds,
        "first": first,
        "second": second,
        "rows": rows,
        "error": error,
        "changed": sum(1 for row in rows if row.changed),
        "sees_office": may(user, READ_ALL_SUBMITTED),
    }
    return render(request, "measures/evaluation/compare.html", context)


@login_required
def self_assessment_evidence(request, pk):
    """A self-assessment's evidence file, to those who may see the self-assessment; 404 otherwise."""
    assessment = get_restricted_object(SelfAssessment.objects, request.user, pk=pk)
    if not assessment.evidence:
        raise Http404
    return FileResponse(
        assessment.evidence.open("rb"),
        as_attachment=True,
        filename=assessment.evidence_name,
        content_type=assessment.evidence_type,
    )
