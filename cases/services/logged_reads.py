"""Reads of case data that leave a trace: the lookup of a case or referral by number or id (a
refusal is logged), the lists and searches that showed cases, the views of a file, and the reveal
of its identifiers (with the reason)."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.utils.translation import gettext as _
from django_ratelimit.core import get_usage

from cases.models.case_files import CaseFile
from core.audit import audit, audit_about, audit_shown
from core.permissions import VIEW


def case_refused(*, actor, model=CaseFile, asked, channel: str = "") -> None:
    """Log that the actor asked for a case (or a referral) it may not see, or that does not exist,
    and was answered 404: a probe leaves a trace. ``asked`` is the number or id in the request,
    as typed, but with any control character (a NUL cannot even be stored) shown as "?"."""
    label = "".join(ch if ch.isprintable() else "?" for ch in str(asked))
    # A probe loop must not grow the audit table without bound: past CASE_REFUSED_LOG_RATE rows
    # per actor, one more says the rest went unlogged until the window ends.
    usage = get_usage(
        None, group="cases.refused", key=lambda _group, _request: str(actor.pk),
        rate=settings.CASE_REFUSED_LOG_RATE, increment=True,
    )  # fmt: skip
    detail = None
    if usage and usage["should_limit"]:
        if usage["count"] != usage["limit"] + 1:
            return
        label, detail = "…", {"unlogged_for_seconds": usage["time_left"]}
    with transaction.atomic():
        audit_about(user=actor, action="refused", model=model, label=label, detail=detail, channel=channel)


def visible_or_refused(queryset, *, actor, asked, **lookup):
    """The one object of ``queryset`` (restricted to what the actor sees) matching ``lookup``;
    otherwise a "refused" entry in the audit log and 404. Every page lookup of case data by number
    or id goes through here; the API's viewsets write the same entry from DRF's own lookup
    (``cases.api.views.RefusalLoggedMixin``)."""
    obj = queryset.restrict(actor, VIEW).filter(**lookup).first()
    if obj is None:
        case_refused(actor=actor, model=queryset.model, asked=asked)
        raise Http404
    return obj


def case_visible(*, actor, number: str) -> CaseFile:
    """The case, if the actor may see it (else 404, logged as refused). The view is not logged:
    see ``case_read``."""
    queryset = CaseFile.objects.select_related(
        "owner_agency__division", "home_province", "home_division", "rescue_province", "rescue_division",
        "rescuing_agency",
    )  # fmt: skip
    return visible_or_refused(queryset, actor=actor, asked=number, number=number)


def cases_shown(*, actor, action: str, numbers, detail: dict | None = None, channel: str = "") -> None:
    """Log one entry for a list or a search that showed these cases (their numbers, in order)."""
    numbers = list(dict.fromkeys(numbers))
    audit_shown(user=actor, action=action, model=CaseFile, labels=numbers, detail=detail, channel=channel)


def case_viewed(*, actor, case: CaseFile, channel: str = "") -> CaseFile:
    """Log that the actor was shown the case."""
    audit(user=actor, action="view", obj=case, channel=channel)
    return case


def case_read(*, actor, number: str, channel: str = "") -> CaseFile:
    """The case, if the actor may see it (else 404); the read itself is logged."""
    return case_viewed(actor=actor, case=case_visible(actor=actor, number=number), channel=channel)


def case_reveal(*, actor, case: CaseFile, reason: str) -> None:
    """Log that the actor unmasked the identifiers of a case it may see, and why."""
    if not (reason or "").strip():
        raise ValidationError({"reason": [_("Say why you need to see the identifiers.")]})
    audit(user=actor, action="reveal", obj=case, detail={"reason": reason.strip()})
