"""Pages of the case file itself: the list and search, intake, the file (with its reveal of
identifiers) and its changes. Also the page's shared parts for the forms posted on it (services,
visits, referrals), and the gate of the pages that are case data without a case."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from cases import selectors
from cases.choices import CaseStatus, Exploitation
from cases.forms import IDENTITY_FIELDS, CaseFileForm, FollowUpForm, ReferralForm, RevealForm, ServiceForm
from cases.models.case_files import CaseFile
from cases.services import case_files as case_writes
from cases.services import duplicates, logged_reads
from core.audit import SHOWN_MAX
from core.crypto import blind_index
from core.forms import add_service_errors
from core.paging import paged_from
from core.permissions import KEEP_CASE_FILES, READ_CASE_FILES, may, require
from core.workflow import EditConflict, WorkflowError

PAGE_SIZE = 50
INCOMING_SHOWN = 10  # referrals waiting on the case list; the rest on cases:incoming


def case_pages_only(request, capability: str = READ_CASE_FILES) -> None:
    """Case pages exist only for those who read case files, case officers and supervisors (404 for
    every other role, logged as refused: the list, the overdue visits and the export are case data
    too); the intake only for those who keep them (``KEEP_CASE_FILES``)."""
    if not may(request.user, capability):
        logged_reads.case_refused(actor=request.user, asked=request.path)
    require(request.user, capability)


@never_cache
@login_required
def case_list(request):
    """The files the user reads: a case officer's agency's own and those referred to it, a
    supervisor's those of the agencies below (with each file's agency and its place); identifiers
    masked. Search by case number, or by the exact identity document number (its keyed hash)."""
    case_pages_only(request)
    narrowed = Q()
    query = request.POST.get("q", "").strip()  # POST: a document number stays out of URLs and logs
    if query:
        # The case number (stored in capitals) or the document number's keyed hash: a UNION of two
        # unique-index lookups, never an OR that scans.
        by_number = CaseFile.objects.filter(number=query.upper()).order_by().values("pk")
        by_document = CaseFile.objects.filter(id_number_index=blind_index(query)).order_by().values("pk")
        narrowed &= Q(pk__in=by_number.union(by_document))
    status = request.POST.get("status") or request.GET.get("status", "")
    if status in CaseStatus.values:
        narrowed &= Q(status=status)
    page = selectors.case_files_page(request.user, request.GET, PAGE_SIZE, narrowed)
    # The oldest referrals waiting for the agency's decision; all of them, paged, on their own page.
    waiting = selectors.incoming_referrals(request.user)
    incoming = list(waiting[: INCOMING_SHOWN + 1])
    more_incoming = len(incoming) > INCOMING_SHOWN
    incoming = incoming[:INCOMING_SHOWN]
    # One entry for the whole page: the files listed (never what was searched for, which may be
    # a document number), and the numbers of those referred to the agency and not yet accepted.
    logged_reads.cases_shown(
        actor=request.user,
        action="search" if query else "list",
        numbers=[case.number for case in page],
        detail={
            "list": "cases",
            **paged_from(request),
            "status": status,
            "referred": [r.case.number for r in incoming][:SHOWN_MAX],
        },
    )
    context = {
        "page": page,
        "page_query": urlencode({"status": status}) if status else "",
        "query": query,
        "status": status,
        "statuses": CaseStatus.choices,
        "incoming": incoming,
        "more_incoming": more_incoming,
        "keeps_files": may(request.user, KEEP_CASE_FILES),
    }
    return render(request, "cases/case_list.html", context)


@never_cache
@login_required
def case_new(request):
    case_pages_only(request, KEEP_CASE_FILES)  # a supervisor reads, and opens no file
    form = CaseFileForm(request.POST or None)
    duplicate = None
    if request.method == "POST" and form.is_valid():
        try:
            case = case_writes.case_create(
                actor=request.user,
                data=form.case_data(),
                confirm_duplicate=form.cleaned_data["confirm_duplicate"],
            )
        except (duplicates.PossibleDuplicate, duplicates.DuplicateCheckLimited) as warning:
            duplicate = warning
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Case file %(number)s was opened.") % {"number": case.number})
            return redirect("cases:case", number=case.number)
    limited = isinstance(duplicate, duplicates.DuplicateCheckLimited)
    context = {"form": form, "duplicate": duplicate, "limited": limited, "case": None}
    return render(request, "cases/case_form.html", context)


def render_case(request, case, *, revealed=False, reveal_form=None, forms=None, status=200):
    """The page of a case, with its forms (those given: bound, with their errors). A supervisor
    reads it (and may reveal the identifiers, logged) without a form that writes: the agencies that
    hold the file or were referred it write in it."""
    is_owner = case.kept_by(request.user)
    context = {
        "case": case,
        "revealed": revealed,
        "is_owner": is_owner,
        "keeps_files": may(request.user, KEEP_CASE_FILES),
        "exploitation": [label for value, label in Exploitation.choices if value in case.exploitation],
        "services": case.services.select_related("agency"),
        "follow_ups": case.follow_ups.select_related("agency"),
        "referrals": case.referrals.select_related("from_agency", "to_agency__division") if is_owner else [],
        "reveal_form": reveal_form or RevealForm(),
        "service_form": (forms or {}).get("service") or ServiceForm(),
        "follow_up_form": (forms or {}).get("follow_up") or FollowUpForm(),
        "referral_form": (forms or {}).get("referral") or ReferralForm(agency_id=request.user.agency_id),
        "page_url": reverse("cases:case", kwargs={"number": case.number}),
    }
    return render(request, "cases/case_detail.html", context, status=status)


@never_cache
@login_required
def case_detail(request, number):
    # No role check first: the gate refuses every other role too, and logs the refusal.
    return render_case(request, logged_reads.case_read(actor=request.user, number=number))


@never_cache
@login_required
@require_POST
def case_reveal(request, number):
    # An action on a case logs what it does (here the reveal); a page shown again logs a view.
    case = logged_reads.case_visible(actor=request.user, number=number)
    form = RevealForm(request.POST)
    if not form.is_valid():
        logged_reads.case_viewed(actor=request.user, case=case)
        return render_case(request, case, reveal_form=form, status=400)
    logged_reads.case_reveal(actor=request.user, case=case, reason=form.cleaned_data["reason"])
    return render_case(request, case, revealed=True)


@never_cache
@login_required
def case_edit(request, number):
    case = logged_reads.case_visible(actor=request.user, number=number)
    if not case.kept_by(request.user):
        raise Http404  # a receiving agency never edits the identity
    if request.method != "POST":
        logged_reads.case_viewed(actor=request.user, case=case)
    fields = [
        f for f in CaseFileForm.base_fields if f not in ("version", "confirm_duplicate", *IDENTITY_FIELDS)
    ]
    initial = {f: getattr(case, f) for f in fields} | {"version": case.version}
    form = CaseFileForm(request.POST or None, initial=initial, case=case)
    if request.method == "POST" and form.is_valid():
        try:
            case_writes.case_update(
                actor=request.user,
                case_id=case.pk,
                data=form.case_data(),
                version=form.cleaned_data["version"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        except EditConflict as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The case file was saved."))
            return redirect("cases:case", number=number)
    return render(request, "cases/case_form.html", {"form": form, "case": case, "duplicate": None})


def post_to_case(request, number, form_class, key, call):
    """A form posted on the case page: saved by ``call(case, data)``, or the page again with its errors.
    A case the user does not see is 404; one a supervisor reads but does not write in is 403."""
    case = logged_reads.case_visible(actor=request.user, number=number)
    if not may(request.user, KEEP_CASE_FILES):
        raise PermissionDenied
    form = form_class(request.POST)
    if form.is_valid():
        try:
            call(case, form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        except WorkflowError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Saved."))
            return redirect("cases:case", number=number)
    logged_reads.case_viewed(actor=request.user, case=case)
    return render_case(request, case, forms={key: form}, status=400)
