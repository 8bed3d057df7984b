"""Writes of the assistance given to the person of a case: services and follow-up visits, by the
owning agency or one the case was referred to. One transaction each, with its audit entry."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from cases.choices import CaseStatus
from cases.models.assistance import AssistanceService, FollowUp
from cases.models.case_files import CaseFile
from cases.services.case_files import require_case_keeper
from core import clock, statistics_cache
from core.audit import audit
from core.permissions import VIEW, get_restricted_object


def _visible_case(actor, case_id: int) -> CaseFile:
    require_case_keeper(actor)
    return get_restricted_object(CaseFile.objects, actor, VIEW, pk=case_id)


@transaction.atomic
def service_add(
    *, actor, case_id: int, kind: str, provided_on: dt.date, outcome: str = ""
) -> AssistanceService:
    """Record a service given to the person (the owner, or an agency the case was referred to)."""
    case = _visible_case(actor, case_id)
    if provided_on > clock.today():
        raise ValidationError({"provided_on": [_("The date cannot be in the future.")]})
    if provided_on < case.rescued_on:
        raise ValidationError({"provided_on": [_("The date cannot be before the rescue.")]})
    if not case.consent_services:
        raise ValidationError({"kind": [_("The person has not consented to assistance services.")]})
    service = AssistanceService(
        case=case, kind=kind, agency_id=actor.agency_id, provided_on=provided_on, outcome=outcome.strip(),
        created_at=clock.now(), created_by=actor,
    )  # fmt: skip
    service.full_clean()
    service.save()
    statistics_cache.data_changed()
    if case.status == CaseStatus.OPEN:
        case.status = CaseStatus.ASSISTED
        case.save(update_fields=["status"])
    audit(
        user=actor, action="add_service", obj=case, detail={"service": kind, "provided_on": str(provided_on)}
    )
    return service


@transaction.atomic
def follow_up_add(*, actor, case_id: int, visited_on: dt.date, living_conditions: str, needs: str = "",
                  next_visit_due: dt.date | None = None) -> FollowUp:  # fmt: skip
    """Record a follow-up visit (the owner, or an agency the case was referred to)."""
    case = _visible_case(actor, case_id)
    errors = {}
    if visited_on > clock.today():
        errors["visited_on"] = [_("The date cannot be in the future.")]
    elif visited_on < case.rescued_on:
        errors["visited_on"] = [_("The date cannot be before the rescue.")]
    if next_visit_due and next_visit_due <= visited_on:
        errors["next_visit_due"] = [_("The next visit must come after this one.")]
    elif next_visit_due and next_visit_due > visited_on + dt.timedelta(days=2 * 366):
        errors["next_visit_due"] = [_("The next visit must be due within two years of this one.")]
    if not (living_conditions or "").strip():
        errors["living_conditions"] = [_("Describe the living conditions found.")]
    if errors:
        raise ValidationError(errors)
    visit = FollowUp.objects.create(
        case=case,
        agency_id=actor.agency_id,
        visited_on=visited_on,
        living_conditions=living_conditions.strip(),
        needs=(needs or "").strip(),
        next_visit_due=next_visit_due,
        created_at=clock.now(),
        created_by=actor,
    )
    # The file's row is locked, so that two visits entered at once leave the later one as latest.
    locked = CaseFile.objects.select_for_update(of=("self",)).select_related("latest_follow_up")
    latest = locked.get(pk=case.pk).latest_follow_up
    if latest is None or (visited_on, visit.pk) > (latest.visited_on, latest.pk):
        case.latest_follow_up, case.next_visit_due = visit, next_visit_due
        case.save(update_fields=["latest_follow_up", "next_visit_due"])
    audit(user=actor, action="add_follow_up", obj=case, detail={"visited_on": str(visited_on)})
    return visit
