"""Writes of referrals: the owning agency refers a case (or hands it over) to any agency that keeps
case files, in any province; the receiving agency accepts or declines, the sender revokes or the
receiver completes. A referral for services grants the receiving agency's group the right to see
the case while it stands. A transfer, once accepted, moves the file to the receiving agency with
the referrals that stand on it (their sender is now the new holder, their grants stay). Every
step is notified to the other agency and is in the audit log."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from guardian.shortcuts import assign_perm, remove_perm

from agencies.models import Agency
from cases.choices import ReferralKind, ReferralState
from cases.models.case_files import CaseFile
from cases.models.grants import VIEW_CASE, agency_group
from cases.models.referrals import Referral
from cases.services.case_files import require_case_keeper
from core import clock, statistics_cache
from core.audit import audit
from core.notify import notify, people_with
from core.permissions import CHANGE, KEEP_CASE_FILES, get_restricted_object
from core.workflow import WorkflowError


@transaction.atomic
def referral_create(*, actor, case_id: int, to_agency: Agency, purpose: str,
                    kind: str = ReferralKind.REFERRAL) -> Referral:  # fmt: skip
    """The owning agency refers the case (or hands it over); needs the person's consent to sharing."""
    require_case_keeper(actor)
    case = get_restricted_object(CaseFile.objects.select_for_update(of=("self",)), actor, CHANGE, pk=case_id)
    errors = {}
    if not case.consent_sharing:
        errors["to_agency"] = [_("The person has not consented to sharing the file with other agencies.")]
    if to_agency.pk == actor.agency_id:
        errors["to_agency"] = [_("Choose another agency than your own.")]
    elif not Agency.objects.case_keepers().filter(pk=to_agency.pk).exists():
        errors["to_agency"] = [_("Choose an active agency of a member unit: only those keep case files.")]
    if not (purpose or "").strip():
        errors["purpose"] = [_("Say what the receiving agency is asked to do.")]
    if errors:
        raise ValidationError(errors)
    if Referral.objects.filter(
        case=case, to_agency=to_agency, state__in=[ReferralState.PENDING, ReferralState.ACCEPTED]
    ).exists():
        raise WorkflowError(_("This case is already referred to %(agency)s.") % {"agency": to_agency})
    referral = Referral.objects.create(
        case=case, kind=kind, from_agency_id=actor.agency_id, to_agency=to_agency, purpose=purpose.strip(),
        requested_at=clock.now(), requested_by=actor,
    )  # fmt: skip
    audit(user=actor, action="refer", obj=case, detail={"to": to_agency.code, "kind": kind})
    notify(
        people_with(KEEP_CASE_FILES, agency=to_agency),
        title=gettext_noop("%(agency)s referred case %(number)s to your agency"),
        body=gettext_noop("Accept or decline it in the case files."),
        params={"agency": referral.from_agency, "number": case.number},
        link=reverse("cases:list"),
    )
    return referral


def _referral(actor, referral_id: int) -> Referral:
    require_case_keeper(actor)
    referral = (
        Referral.objects.restrict(actor)
        .select_for_update(of=("self",))
        .select_related("case")
        .filter(pk=referral_id)
        .first()
    )
    if referral is None:
        raise Http404
    return referral


@transaction.atomic
def referral_decide(*, actor, referral_id: int, accept: bool, note: str = "") -> Referral:
    """The receiving agency accepts (gaining access, or the file itself) or declines."""
    referral = _referral(actor, referral_id)
    if referral.to_agency_id != actor.agency_id:
        raise PermissionDenied
    if referral.state != ReferralState.PENDING:
        raise WorkflowError(_("This referral was already decided."))
    referral.state = ReferralState.ACCEPTED if accept else ReferralState.DECLINED
    referral.decided_at, referral.decided_by, referral.note = clock.now(), actor, (note or "").strip()
    case = referral.case
    if accept and referral.kind == ReferralKind.TRANSFER:
        # The file is locked as an edit of it would lock it: a change saved meanwhile by the old
        # holder is either before the move or refused after it (its version is stale).
        case = CaseFile.objects.select_for_update(of=("self",)).select_related("owner_agency").get(pk=case.pk)
        previous = case.owner_agency
        case.owner_agency_id = actor.agency_id
        case.version += 1
        case.save(update_fields=["owner_agency", "version"])
        statistics_cache.data_changed()  # the file is counted where its holder is
        referral.case = case
        referral.state, referral.ended_at = ReferralState.COMPLETED, clock.now()
        moved = _referrals_follow_the_file(case, referral, new_holder=actor.agency_id)
        audit(user=actor, action="transfer", obj=case,
              detail={"from": previous.code, "to": actor.agency.code, "referrals": moved})  # fmt: skip
    elif accept:
        assign_perm(VIEW_CASE, agency_group(actor.agency_id), case)
    referral.save()
    notify(
        people_with(KEEP_CASE_FILES, agency_id=referral.from_agency_id),
        title=gettext_noop("%(agency)s accepted your referral of %(number)s")
        if accept
        else gettext_noop("%(agency)s declined your referral of %(number)s"),
        params={"agency": referral.to_agency, "number": case.number},
        link=reverse("cases:list"),
    )
    audit(user=actor, action="accept_referral" if accept else "decline_referral", obj=case,
          detail={"referral": referral.pk})  # fmt: skip
    return referral


def _referrals_follow_the_file(case: CaseFile, transfer: Referral, *, new_holder: int) -> list[int]:
    """After a transfer: the referrals that stand on the file are the new holder's to answer for
    (it may revoke them; the old holder no longer sees them); their grants stay with the file. None
    stands to the new holder itself: one open referral per agency, and the transfer was it. The
    ids of those moved."""
    standing = Referral.objects.filter(
        case=case, state__in=[ReferralState.PENDING, ReferralState.ACCEPTED]
    ).exclude(pk=transfer.pk)
    moved = list(standing.select_for_update(of=("self",)).values_list("pk", flat=True))
    Referral.objects.filter(pk__in=moved).update(from_agency_id=new_holder)
    return moved


@transaction.atomic
def referral_end(*, actor, referral_id: int, revoke: bool) -> Referral:
    """The sender revokes, or the receiver completes, an accepted referral: its access ends."""
    referral = _referral(actor, referral_id)
    allowed = referral.from_agency_id if revoke else referral.to_agency_id
    if actor.agency_id != allowed:
        raise PermissionDenied
    if referral.state not in (ReferralState.PENDING, ReferralState.ACCEPTED) or (
        not revoke and referral.state != ReferralState.ACCEPTED
    ):
        raise WorkflowError(_("This referral is %(state)s.") % {"state": referral.get_state_display()})
    referral.state = ReferralState.REVOKED if revoke else ReferralState.COMPLETED
    referral.ended_at = clock.now()
    referral.save(update_fields=["state", "ended_at"])
    still_open = Referral.objects.filter(
        case=referral.case, to_agency=referral.to_agency, state=ReferralState.ACCEPTED
    ).exists()
    if not still_open:
        remove_perm(VIEW_CASE, agency_group(referral.to_agency_id), referral.case)
    audit(user=actor, action="revoke_referral" if revoke else "complete_referral", obj=referral.case,
          detail={"referral": referral.pk})  # fmt: skip
    return referral
