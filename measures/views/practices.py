"""The library of good practices: the published ones (searched and filtered, newest first), a
practice's page, the owner's propose/edit form and own proposals, and the Office's review queue.

Every signed-in user reads the published practices (case officers and auditors too); a draft is its
owner's alone (404 to anyone else); the Office reviews the submitted ones. The review is the reviewed
records' one pattern: ``PracticeDecisionView`` is a ``core.views.reviewed.RecordDecisionView``.
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.template.defaultfilters import filesizeformat
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from agencies.models import MemberUnit, Province
from core.models import ChangeRecord
from core.permissions import READ_ALL_SUBMITTED, READ_HISTORY, get_restricted_object, may, require
from core.views.reviewed import RecordDecisionView, record_form_save
from core.workflow import EditConflict, WorkflowError, no_longer_editable
from measures.forms import GoodPracticeForm, PracticeSearchForm, ReviewForm
from measures.models import Measure, Plan, PracticeAttachment
from measures.models.owners import owner_of
from measures.selectors import practices as selectors
from measures.services.practices import (
    GOOD_PRACTICE,
    MAX_ATTACHMENTS,
    good_practice_accept,
    good_practice_reopen,
    good_practice_return,
    good_practice_save,
    good_practice_submit,
)

PAGE_SIZE = 20
# How the history names the files of a practice (its keys are those of the evidence of entries).
HISTORY_LABELS = {
    "evidence.added": gettext_lazy("files added"),
    "evidence.removed": gettext_lazy("files removed"),
}


def _plan(request, code: str) -> Plan:
    return get_restricted_object(Plan.objects, request.user, code=code)


def _owner(request):
    """What the user proposes practices for (their unit or province); 404 for anyone else."""
    owner = owner_of(request.user)
    if owner is None:
        raise Http404
    return owner


@login_required
def library(request, plan):
    """The published practices of the plan, searched and filtered, newest first, a page at a time."""
    plan = _plan(request, plan)
    measures = list(Measure.objects.filter(plan=plan).only("ref", "seq"))
    form = PracticeSearchForm(
        request.GET or None,
        areas=plan.areas.all(),
        measures=measures,
        units=MemberUnit.objects.restrict(request.user).order_by("code"),
        provinces=Province.objects.restrict(request.user).order_by("code"),
    )
    if form.is_bound and not form.is_valid():
        page, filtered = None, True  # the errors name the field; nothing is searched
    else:
        data = form.cleaned_data if form.is_bound else {}
        filters = selectors.PracticeFilters(
            q=data.get("q", ""),
            area=data.get("area"),
            measure=data.get("measure", ""),
            unit=data.get("unit", ""),
            province=data.get("province", ""),
        )
        filtered = filters != selectors.PracticeFilters()
        practices = selectors.practice_library(request.user, plan, filters)
        page = Paginator(practices, PAGE_SIZE).get_page(request.GET.get("page"))
    query = {k: v for k, v in request.GET.items() if k in form.fields and v}
    context = {
        "plan": plan,
        "form": form,
        "page": page,
        "filtered": filtered,
        "page_query": urlencode(query),
        "may_propose": owner_of(request.user) is not None,
        "may_review": may(request.user, READ_ALL_SUBMITTED),
    }
    return render(request, "measures/practices/library.html", context, status=400 if page is None else 200)


def _practice(request, pk):
    practice = selectors.practice_with_details(request.user, pk)
    if practice is None:
        raise Http404
    return practice


def _practice_page(request, practice, review_form=None, status=200):
    """The practice in the reader's language (the other where it has only that), its files, the
    actions the user may take and, for its owner and the Office, its history."""
    user = request.user
    decisions = [d for d in ("accept", "return", "reopen") if GOOD_PRACTICE.may_decide(user, practice, d)]
    history = None
    if GOOD_PRACTICE.owns(user, practice) or may(user, READ_HISTORY):
        history = [
            (record, record.lines(HISTORY_LABELS)) for record in ChangeRecord.objects.for_object(practice)
        ]
    context = {
        "plan": practice.area.plan,
        "practice": practice,
        "measures": list(practice.measures.all()),
        "attachments": list(practice.attachments.all()),
        "history": history,
        "can_edit": GOOD_PRACTICE.may_edit(user, practice),
        "decisions": decisions,
        "review_form": review_form
        or (ReviewForm(initial={"version": practice.version}) if decisions else None),
    }
    if decisions:
        context["review_form"].fields["comment"].help_text = _(
            "Required when returning a practice or taking it out of the library: say why."
        )
    return render(request, "measures/practices/detail.html", context, status=status)


@login_required
def practice_detail(request, pk):
    return _practice_page(request, _practice(request, pk))


def _form_kwargs(plan: Plan, attachments=()) -> dict:
    return {
        "areas": plan.areas.all(),
        "measures": list(Measure.objects.filter(plan=plan).select_related("area")),
        "provinces": Province.objects.order_by("code"),
        "attachments": attachments,
        "max_size_label": filesizeformat(settings.EVIDENCE_MAX_BYTES),
        "max_files": MAX_ATTACHMENTS,
    }


def _practice_form(request, plan: Plan, practice=None):
    """Propose a practice (``practice`` None) or change a draft or returned one; save or submit."""
    attachments = list(practice.attachments.all()) if practice else []
    kwargs = _form_kwargs(plan, attachments)
    conflict = None
    if request.method == "POST":
        form = GoodPracticeForm(request.POST, request.FILES, **kwargs)
        if form.is_valid():
            data = form.cleaned_data
            saved = record_form_save(
                request,
                form,
                lambda: good_practice_save(
                    actor=request.user,
                    practice_id=practice.pk if practice else None,
                    version=data["version"] if practice else 0,
                    title_zh=data["title_zh"],
                    title_en=data["title_en"],
                    summary_zh=data["summary_zh"],
                    summary_en=data["summary_en"],
                    area=data["area"],
                    measures=form.chosen_measures(),
                    practice_province=data["practice_province"],
                    new_files=data["attachments"],
                    remove_file_ids=data.get("remove_attachments") or [],
                    submit="submit" in request.POST,
                ),
                rebind=lambda data: GoodPracticeForm(data, **kwargs),
                submitted=_("Your practice was submitted to the IMCS Office for review."),
            )
            if saved.record is not None:
                return redirect("measures:practice", pk=saved.record.pk)
            form, conflict = saved.form, saved.conflict
            if conflict:
                practice = _practice(request, practice.pk)
        if form.files.getlist("attachments"):
            form.add_error(
                "attachments",
                _("Nothing was saved, so the files you chose were not kept: choose them again."),
            )
    else:
        initial = {"version": practice.version} if practice else {}
        if practice:
            initial.update({name: getattr(practice, name) for name in ("title_zh", "title_en")})
            initial.update(summary_zh=practice.summary_zh, summary_en=practice.summary_en)
            initial.update(area=practice.area_id, practice_province=practice.practice_province_id)
            initial["measures"] = [m.pk for m in practice.measures.all()]
        form = GoodPracticeForm(initial=initial, **kwargs)
    context = {
        "plan": plan,
        "practice": practice,
        "attachments": attachments,
        "form": form,
        "conflict": conflict,
    }
    return render(request, "measures/practices/form.html", context, status=409 if conflict else 200)


@login_required
def practice_propose(request, plan):
    _owner(request)
    return _practice_form(request, _plan(request, plan))


@login_required
def practice_edit(request, pk):
    practice = _practice(request, pk)
    if not GOOD_PRACTICE.owns(request.user, practice):
        raise PermissionDenied  # a published practice of someone else: seen, not theirs to change
    if not practice.is_editable and request.method != "POST":
        messages.info(request, no_longer_editable(practice))
        return redirect("measures:practice", pk=practice.pk)
    return _practice_form(request, practice.area.plan, practice)


@login_required
@require_POST
def practice_submit(request, pk):
    try:
        version = int(request.POST.get("version", ""))
    except ValueError as exc:
        raise Http404 from exc
    try:
        good_practice_submit(actor=request.user, practice_id=pk, version=version)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    except (WorkflowError, EditConflict) as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Your practice was submitted to the IMCS Office for review."))
    return redirect("measures:practice", pk=pk)


class PracticeDecisionView(RecordDecisionView):
    """The Office publishes a practice, returns it, or takes a published one out of the library."""

    form_class = ReviewForm
    decisions = {
        "accept": good_practice_accept,
        "return": good_practice_return,
        "reopen": good_practice_reopen,
    }
    record_id_name = "practice_id"

    def get_record(self):
        return _practice(self.request, self.kwargs["pk"])

    def record_page(self, record, form, *, status):
        return _practice_page(self.request, record, review_form=form, status=status)

    def record_url(self, record):
        return reverse("measures:practice", kwargs={"pk": record.pk})

    def done_url(self, record):
        return reverse("measures:practices_review", kwargs={"plan": record.area.plan.code})

    def done_message(self, record, decision):
        return {
            "accept": _("The practice was published in the library."),
            "return": _("The practice was returned to its owner with your comment."),
            "reopen": _("The practice was taken out of the library and returned to its owner."),
        }[decision]


practice_review = PracticeDecisionView.as_view()


@login_required
def attachment_download(request, pk):
    """A practice's file, to those who may see the practice; 404 to everyone else."""
    attachment = get_restricted_object(PracticeAttachment.objects, request.user, pk=pk)
    return FileResponse(
        attachment.file.open("rb"),
        as_attachment=True,
        filename=attachment.original_name,
        content_type=attachment.content_type,
    )


@login_required
def my_practices(request, plan):
    """The practices the user's unit or province proposed, in every state (returned ones first)."""
    _owner(request)
    plan = _plan(request, plan)
    page = Paginator(selectors.my_practices(request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "measures/practices/mine.html", {"plan": plan, "page": page})


@login_required
def review_queue(request, plan):
    """The practices waiting for the Office's decision (the Office and auditors read them)."""
    require(request.user, READ_ALL_SUBMITTED)
    plan = _plan(request, plan)
    page = Paginator(selectors.practices_to_review(request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "measures/practices/review.html", {"plan": plan, "page": page})
