"""Referrals on the pages: the owning agency refers a case from its page; either agency acts on
a referral (accept, decline, complete, revoke) from the list."""

from functools import partial

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from cases import selectors
from cases.forms import ReferralForm
from cases.models.referrals import Referral
from cases.services import logged_reads
from cases.services import referrals as referral_writes
from cases.views.case_files import case_pages_only, post_to_case
from core.permissions import VIEW, allows
from core.workflow import WorkflowError


@never_cache
@login_required
def incoming(request):
    """Every referral to the user's agency that waits for its decision, oldest first, paged (the
    case list shows the first few)."""
    case_pages_only(request)
    page = Paginator(selectors.incoming_referrals(request.user), 50).get_page(request.GET.get("page"))
    numbers = [referral.case.number for referral in page]
    logged_reads.cases_shown(actor=request.user, action="list", numbers=numbers, detail={"list": "referrals"})
    return render(request, "cases/referrals_incoming.html", {"page": page})


@never_cache
@login_required
@require_POST
def referral_add(request, number):
    def call(case, data):
        return referral_writes.referral_create(actor=request.user, case_id=case.pk, **data)

    return post_to_case(
        request, number, partial(ReferralForm, agency_id=request.user.agency_id), "referral", call
    )


@never_cache
@login_required
@require_POST
def referral_action(request, pk, action):
    # Looked up before the service's transaction, so that a refusal stays in the audit log.
    logged_reads.visible_or_refused(Referral.objects.all(), actor=request.user, asked=pk, pk=pk)
    try:
        if action in ("accept", "decline"):
            referral = referral_writes.referral_decide(
                actor=request.user,
                referral_id=pk,
                accept=action == "accept",
                note=request.POST.get("note", ""),
            )
        else:
            referral = referral_writes.referral_end(
                actor=request.user, referral_id=pk, revoke=action == "revoke"
            )
    except WorkflowError as error:
        messages.error(request, str(error))
        return redirect("cases:list")
    messages.success(request, _("The referral is now: %(state)s.") % {"state": referral.get_state_display()})
    if allows(request.user, VIEW, referral.case):
        return redirect("cases:case", number=referral.case.number)
    return redirect("cases:list")
