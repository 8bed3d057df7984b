"""Pages of case files: list and search, intake, the file, services, visits, referrals, exports,
statistics, and the auditors' log."""

import datetime as dt
import json
from functools import partial

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from agencies.forms import add_service_errors
from cases import selectors, services
from cases.choices import CaseStatus, Category, Exploitation, ReferralState
from cases.forms import (
    IDENTITY_FIELDS,
    CaseFileForm,
    ExportForm,
    FollowUpForm,
    ReferralForm,
    RevealForm,
    ServiceForm,
)
from cases.models import CaseFile, Referral
from core import clock
from core.audit import SHOWN_MAX, audit_each
from core.choices import Role
from core.crypto import blind_index
from core.exports import table_response
from core.models import AUDIT_ACTIONS, AuditEntry
from core.permissions import require_role
from core.workflow import EditConflict, WorkflowError


def _officer(request) -> None:
    """Case pages exist only for case officers (404 for every other role, logged as refused: the
    list, the intake, the overdue visits and the export are case data too)."""
    if request.user.role != Role.CASE_OFFICER:
        services.case_refused(actor=request.user, asked=request.path)
    require_role(request.user, (Role.CASE_OFFICER,))


@never_cache
@login_required
def case_list(request):
    """The agency's own files and those referred to it; identifiers masked. Search by case number,
    or by the exact identity document number (through its keyed hash)."""
    _officer(request)
    cases = CaseFile.objects.restrict(request.user).select_related("owner_agency", "rescue_province")
    query = request.POST.get("q", "").strip()  # POST: a document number stays out of URLs and logs
    if query:
        cases = cases.filter(number__iexact=query) | cases.filter(id_number_index=blind_index(query))
    status = request.POST.get("status") or request.GET.get("status", "")
    if status in CaseStatus.values:
        cases = cases.filter(status=status)
    page = Paginator(cases.order_by("-rescued_on", "-pk"), 50).get_page(request.GET.get("page"))
    incoming = list(
        Referral.objects.restrict(request.user)
        .filter(to_agency_id=request.user.unit_id, state=ReferralState.PENDING)
        .select_related("case", "from_agency")
    )
    # One entry for the whole page: the files listed (never what was searched for, which may be
    # a document number), and the numbers of those referred to the agency and not yet accepted.
    services.cases_shown(
        actor=request.user,
        action="search" if query else "list",
        numbers=[case.number for case in page],
        detail={
            "list": "cases",
            "page": page.number,
            "status": status,
            "referred": [r.case.number for r in incoming][:SHOWN_MAX],
        },
    )
    context = {
        "page": page,
        "query": query,
        "status": status,
        "statuses": CaseStatus.choices,
        "incoming": incoming,
    }
    return render(request, "cases/case_list.html", context)


@never_cache
@login_required
def case_new(request):
    _officer(request)
    form = CaseFileForm(request.POST or None)
    duplicate = None
    if request.method == "POST" and form.is_valid():
        try:
            case = services.case_create(
                actor=request.user,
                data=form.case_data(),
                confirm_duplicate=form.cleaned_data["confirm_duplicate"],
            )
        except (services.PossibleDuplicate, services.DuplicateCheckLimited) as warning:
            duplicate = warning
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Case file %(number)s was opened.") % {"number": case.number})
            return redirect("cases:case", number=case.number)
    limited = isinstance(duplicate, services.DuplicateCheckLimited)
    context = {"form": form, "duplicate": duplicate, "limited": limited, "case": None}
    return render(request, "cases/case_form.html", context)


def _detail(request, case, *, revealed=False, reveal_form=None, forms=None, status=200):
    is_owner = case.owner_agency_id == request.user.unit_id
    context = {
        "case": case,
        "revealed": revealed,
        "is_owner": is_owner,
        "exploitation": [label for value, label in Exploitation.choices if value in case.exploitation],
        "services": case.services.select_related("agency"),
        "follow_ups": case.follow_ups.select_related("agency"),
        "referrals": case.referrals.select_related("from_agency", "to_agency") if is_owner else [],
        "reveal_form": reveal_form or RevealForm(),
        "service_form": (forms or {}).get("service") or ServiceForm(),
        "follow_up_form": (forms or {}).get("follow_up") or FollowUpForm(),
        "referral_form": (forms or {}).get("referral") or ReferralForm(agency_id=request.user.unit_id),
        "page_url": reverse("cases:case", kwargs={"number": case.number}),
    }
    return render(request, "cases/case_detail.html", context, status=status)


@never_cache
@login_required
def case_detail(request, number):
    # No role check first: the gate refuses every other role too, and logs the refusal.
    return _detail(request, services.case_read(actor=request.user, number=number))


@never_cache
@login_required
@require_POST
def case_reveal(request, number):
    # An action on a case logs what it does (here the reveal); a page shown again logs a view.
    case = services.case_visible(actor=request.user, number=number)
    form = RevealForm(request.POST)
    if not form.is_valid():
        services.case_viewed(actor=request.user, case=case)
        return _detail(request, case, reveal_form=form, status=400)
    services.case_reveal(actor=request.user, case=case, reason=form.cleaned_data["reason"])
    return _detail(request, case, revealed=True)


@never_cache
@login_required
def case_edit(request, number):
    case = services.case_visible(actor=request.user, number=number)
    if case.owner_agency_id != request.user.unit_id:
        raise Http404  # a receiving agency never edits the identity
    if request.method != "POST":
        services.case_viewed(actor=request.user, case=case)
    fields = [
        f for f in CaseFileForm.base_fields if f not in ("version", "confirm_duplicate", *IDENTITY_FIELDS)
    ]
    initial = {f: getattr(case, f) for f in fields} | {"version": case.version}
    form = CaseFileForm(request.POST or None, initial=initial, case=case)
    if request.method == "POST" and form.is_valid():
        try:
            services.case_update(
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


def _add(request, number, form_class, key, call):
    case = services.case_visible(actor=request.user, number=number)
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
    services.case_viewed(actor=request.user, case=case)
    return _detail(request, case, forms={key: form}, status=400)


@never_cache
@login_required
@require_POST
def service_add(request, number):
    def call(case, data):
        return services.service_add(actor=request.user, case_id=case.pk, **data)

    return _add(request, number, ServiceForm, "service", call)


@never_cache
@login_required
@require_POST
def follow_up_add(request, number):
    def call(case, data):
        return services.follow_up_add(actor=request.user, case_id=case.pk, **data)

    return _add(request, number, FollowUpForm, "follow_up", call)


@never_cache
@login_required
@require_POST
def referral_add(request, number):
    def call(case, data):
        return services.referral_create(actor=request.user, case_id=case.pk, **data)

    return _add(request, number, partial(ReferralForm, agency_id=request.user.unit_id), "referral", call)


@never_cache
@login_required
@require_POST
def referral_action(request, pk, action):
    # Looked up before the service's transaction, so that a refusal stays in the audit log.
    services.visible_or_refused(Referral.objects.all(), actor=request.user, asked=pk, pk=pk)
    try:
        if action in ("accept", "decline"):
            referral = services.referral_decide(
                actor=request.user,
                referral_id=pk,
                accept=action == "accept",
                note=request.POST.get("note", ""),
            )
        else:
            referral = services.referral_end(actor=request.user, referral_id=pk, revoke=action == "revoke")
    except WorkflowError as error:
        messages.error(request, str(error))
        return redirect("cases:list")
    messages.success(request, _("The referral is now: %(state)s.") % {"state": referral.get_state_display()})
    if CaseFile.objects.restrict(request.user).filter(pk=referral.case_id).exists():
        return redirect("cases:case", number=referral.case.number)
    return redirect("cases:list")


@never_cache
@login_required
def overdue(request):
    _officer(request)
    visits = selectors.overdue_follow_ups(request.user)
    numbers = [visit.case.number for visit in visits]
    services.cases_shown(actor=request.user, action="list", numbers=numbers, detail={"list": "overdue"})
    return render(request, "cases/overdue.html", {"visits": visits, "today": clock.today()})


EXPORT_FIELDS = ["number", "category", "sex", "estimated_age", "date_of_birth", "home_province", "rescued_on",
                 "rescue_province", "status", "consent_sharing"]  # fmt: skip


@never_cache
@login_required
def export(request, fmt):
    """The agency's own files as CSV/XLSX; names and identifiers only with a reason, and logged."""
    _officer(request)
    # POST: the reason stays out of URLs and access logs.
    form = ExportForm(request.POST if request.method == "POST" else None)
    if request.method != "POST" or not form.is_valid():
        status = 400 if request.method == "POST" else 200
        return render(request, "cases/export.html", {"form": form, "fmt": fmt}, status=status)
    with_ids = form.cleaned_data["with_identifiers"]
    cases = list(
        CaseFile.objects.restrict(request.user, "change").select_related("home_province", "rescue_province")
    )
    header = [CaseFile._meta.get_field(f).verbose_name for f in EXPORT_FIELDS]
    if with_ids:
        header += [pgettext("person", "Name"), _("Identity document number"), _("Phone"), _("Home address")]
    rows = []
    for case in cases:
        row = [str(getattr(case, f) if getattr(case, f) is not None else "") for f in EXPORT_FIELDS]
        row[1], row[2], row[8] = (
            case.get_category_display(),
            case.get_sex_display(),
            case.get_status_display(),
        )
        # Without identifiers, the year of birth only: a full date narrows a person down.
        row[4] = str(case.date_of_birth.year) if case.date_of_birth and not with_ids else row[4]
        row[9] = _("yes") if case.consent_sharing else _("no")
        if with_ids:
            row += [case.name, case.id_number, case.phone, case.address]
        rows.append(row)
    audit_each(user=request.user, action="export", objs=cases, channel="export",
               detail={"identifiers": with_ids, "reason": form.cleaned_data.get("reason", "")})  # fmt: skip
    return table_response(fmt, "case-files", _("Case files"), [str(h) for h in header], rows)


@never_cache
@login_required
def statistics(request):
    """Aggregates for everyone signed in, with small cells suppressed."""
    by = request.GET.get("by", "province")
    if by not in ("province", "status"):
        by = "province"
    context = {
        "table": selectors.suppressed_statistics(by, "category"),
        "services": selectors.service_statistics(),
        "by": by,
        "categories": Category.choices,
    }
    return render(request, "cases/statistics.html", context)


def _audit_entries(request):
    require_role(request.user, (Role.AUDITOR, Role.ADMIN))
    entries = AuditEntry.objects.restrict(request.user).select_related("user", "agency")
    filters = {k: request.GET.get(k, "").strip() for k in ("case", "user", "agency", "action", "date")}
    if filters["case"]:
        # The entries about that file, and the lists and searches that showed it.
        shown = json.dumps(filters["case"].upper())
        entries = entries.filter(Q(object_label__iexact=filters["case"]) | Q(detail__shown__icontains=shown))
    if filters["user"]:
        entries = entries.filter(user__username=filters["user"])
    if filters["agency"]:
        agency = filters["agency"]
        entries = entries.filter(
            Q(agency__code__iexact=agency)
            | Q(agency__name_zh__icontains=agency)
            | Q(agency__name_en__icontains=agency)
        )
    if filters["action"]:
        entries = entries.filter(action=filters["action"])
    if filters["date"]:
        try:
            entries = entries.filter(at__date=dt.date.fromisoformat(filters["date"]))
        except ValueError:
            messages.error(request, _("The date must be written YYYY-MM-DD."))
            entries = entries.none()
    return entries, filters


@never_cache
@login_required
def audit_log(request):
    entries, filters = _audit_entries(request)
    page = Paginator(entries, 100).get_page(request.GET.get("page"))
    actions = [(code, str(label)) for code, label in AUDIT_ACTIONS.items()]
    return render(request, "cases/audit_log.html", {"page": page, "filters": filters, "actions": actions})


@never_cache
@login_required
def audit_export(request, fmt):
    entries, _filters = _audit_entries(request)
    header = [
        _("When"),
        _("User"),
        _("Agency"),
        _("Action"),
        _("Record"),
        _("Through"),
        _("IP address"),
        _("Request id"),
        _("Detail"),
    ]
    rows = (
        [e.at.astimezone().strftime("%Y-%m-%d %H:%M:%S"), e.user.username, e.agency.code if e.agency else "",
         e.action_label, e.object_label, e.channel_label, e.ip or "", e.request_id,
         "; ".join(f"{key}: {value}" for key, value in e.detail.items())]
        for e in entries[:50000]
    )  # fmt: skip
    return table_response(fmt, "audit-log", _("Audit log"), header, rows)
