"""Writes of case files. Every function takes the acting user, runs in one transaction, re-checks
the user's rights inside it, and appends to the audit log in that same transaction."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop, ngettext
from django_ratelimit.core import get_usage
from guardian.shortcuts import assign_perm, remove_perm
from stdnum import exceptions as stdnum_errors
from stdnum.cn import ric

from agencies.models import MemberUnit
from cases.choices import CaseStatus, Category, DocumentKind, Exploitation, ReferralKind, ReferralState
from cases.models import VIEW_CASE, AssistanceService, CaseFile, FollowUp, Referral, agency_group
from core import clock
from core.audit import audit, audit_about, audit_shown
from core.choices import Role
from core.crypto import blind_index
from core.notify import notify, people
from core.permissions import CHANGE, VIEW
from core.workflow import WorkflowError, check_version

IDENTITY_FIELDS = ("name", "id_number", "phone", "address", "household_registration")
CASE_FIELDS = (
    *IDENTITY_FIELDS, "id_document_kind", "category", "sex", "date_of_birth", "estimated_age",
    "home_province", "home_county", "rescued_on", "rescue_province", "rescuing_agency", "exploitation",
    "consent_services", "consent_sharing", "consent_statistics", "guardian_found", "status",
)  # fmt: skip


# How often one case officer may be told whether a file on a person exists is the setting
# CASE_DUPLICATE_CHECK_RATE: the warning at intake is a question about every agency's files, so it
# is limited and each asking is in the audit log.
# Dates of a case: a person is at most this old (as the estimated age), a rescue no earlier than
# this (the oldest files that may still be opened).
OLDEST_AGE = 120
EARLIEST_RESCUE = dt.date(1980, 1, 1)


class PossibleDuplicate(Exception):
    """A file for the same person probably exists; the user must confirm to create another.

    Of another agency's files it says only that one may exist, never its number, agency or count."""

    def __init__(self, own: list[str], elsewhere: bool):
        self.own, self.elsewhere = own, bool(elsewhere)
        parts = []
        if own:
            parts.append(_("your agency already has a file that may be this person: %s") % ", ".join(own))
        if elsewhere:
            parts.append(_("a file may exist elsewhere; contact the IMCS Office"))
        super().__init__(_("Possible duplicate: %s.") % "; ".join(parts))


class DuplicateCheckLimited(Exception):
    """The actor asked for too many duplicate checks lately: this intake was not checked; it can
    still be saved by confirming, as after a warning."""

    def __init__(self, limit: int, seconds_left: int):
        self.limit, self.seconds_left = limit, seconds_left
        minutes = max(1, -(-seconds_left // 60))
        super().__init__(
            ngettext(
                "The duplicate check was not made: you have reached the limit of %(limit)s checks "
                "an hour. The next check is possible in %(minutes)s minute.",
                "The duplicate check was not made: you have reached the limit of %(limit)s checks "
                "an hour. The next check is possible in %(minutes)s minutes.",
                minutes,
            )
            % {"limit": limit, "minutes": minutes}
        )


def _require_case_officer(actor) -> None:
    if actor.role != Role.CASE_OFFICER or not actor.unit_id:
        raise PermissionDenied


def _oldest_birth_date(today: dt.date) -> dt.date:
    try:
        return today.replace(year=today.year - OLDEST_AGE)
    except ValueError:  # 29 February
        return today.replace(year=today.year - OLDEST_AGE, day=28)


def _id_number_error(kind: str, number: str) -> str | None:
    """What is wrong with a resident identity card number (GB 11643), if anything. Passports and
    other documents have numbers of many forms: they are taken as given."""
    if kind != DocumentKind.RESIDENT_ID or not number:
        return None
    try:
        ric.validate(number)
    except stdnum_errors.InvalidLength:
        return _("A resident identity card number has 18 characters; this one has %(count)s.") % {
            "count": len(ric.compact(number))
        }
    except stdnum_errors.InvalidFormat:
        return _("A resident identity card number is 17 digits followed by a digit or X.")
    except stdnum_errors.InvalidChecksum:
        return _(
            "The last character (the check digit) does not match the other 17: check the number as typed."
        )
    except stdnum_errors.ValidationError:
        return _("The number holds no valid date of birth or place of registration.")
    return None


def _validate(data: dict, *, check_id_number: bool = True) -> None:
    errors: dict[str, list[str]] = {}
    today = clock.today()
    if not (data.get("name") or "").strip():
        errors["name"] = [_("Enter the name (it is kept encrypted).")]
    if data.get("date_of_birth") is None and data.get("estimated_age") is None:
        errors["date_of_birth"] = [_("Enter the date of birth, or an estimated age.")]
    if data.get("date_of_birth") and data["date_of_birth"] > today:
        errors["date_of_birth"] = [_("The date of birth cannot be in the future.")]
    elif data.get("date_of_birth") and data["date_of_birth"] < _oldest_birth_date(today):
        errors["date_of_birth"] = [
            _("The date of birth cannot be before %(date)s (%(age)s years ago).")
            % {"date": date_format(_oldest_birth_date(today)), "age": OLDEST_AGE}
        ]
    if data.get("estimated_age") is not None and not 0 <= data["estimated_age"] <= OLDEST_AGE:
        errors["estimated_age"] = [_("The estimated age must be from 0 to %(age)s.") % {"age": OLDEST_AGE}]
    if check_id_number:
        problem = _id_number_error(data.get("id_document_kind") or DocumentKind.RESIDENT_ID,
                                   (data.get("id_number") or "").strip())  # fmt: skip
        if problem:
            errors["id_number"] = [problem]
    if data.get("rescued_on") and data["rescued_on"] > today:
        errors["rescued_on"] = [_("The rescue date cannot be in the future.")]
    elif data.get("rescued_on") and data["rescued_on"] < EARLIEST_RESCUE:
        errors["rescued_on"] = [
            _("The rescue date cannot be before %(date)s.") % {"date": date_format(EARLIEST_RESCUE)}
        ]
    elif data.get("rescued_on") and data.get("date_of_birth") and data["rescued_on"] < data["date_of_birth"]:
        errors["rescued_on"] = [_("The rescue date cannot be before the date of birth.")]
    unknown = set(data.get("exploitation") or []) - set(Exploitation.values)
    if unknown:
        errors["exploitation"] = [_("Unknown form of exploitation: %s") % ", ".join(sorted(unknown))]
    if data.get("category") != Category.CHILD and data.get("guardian_found") is not None:
        errors["guardian_found"] = [_("Whether a guardian was found is recorded for children only.")]
    if errors:
        raise ValidationError(errors)


def _indexes(data: dict) -> dict[str, str]:
    birth = data["date_of_birth"].isoformat() if data.get("date_of_birth") else ""
    return {
        "id_number_index": blind_index(data.get("id_number") or ""),
        "name_birth_index": blind_index(data.get("name") or "", birth),
    }


def find_duplicates(actor, data: dict, exclude_pk: int | None = None) -> tuple[list[str], int]:
    """Files that are probably this person: same document number, or same name and birth date.
    The actor's own files by number, and how many others (for ``duplicate_check`` alone to tell)."""
    indexes = _indexes(data)
    matches = CaseFile.objects.none()
    if indexes["id_number_index"]:
        matches |= CaseFile.objects.filter(id_number_index=indexes["id_number_index"])
    if indexes["name_birth_index"]:
        matches |= CaseFile.objects.filter(name_birth_index=indexes["name_birth_index"])
    if exclude_pk:
        matches = matches.exclude(pk=exclude_pk)
    rows = list(matches.values_list("number", "owner_agency_id"))
    own = sorted(number for number, agency in rows if agency == actor.unit_id)
    return own, len(rows) - len(own)


def duplicate_check(*, actor, data: dict) -> None:
    """Tell the actor whether a file on this person may exist (``PossibleDuplicate``), at most
    ``CASE_DUPLICATE_CHECK_RATE`` times (else ``DuplicateCheckLimited``). Every asking is in the audit log
    with its outcome (none, own, elsewhere, both or limited), never with the number asked about.

    The entry is written in its own transaction: a warning stops the intake, the entry stays."""
    rate = settings.CASE_DUPLICATE_CHECK_RATE
    usage = get_usage(
        None, group="cases.duplicate_check", key=lambda _group, _request: str(actor.pk), rate=rate,
        increment=True,
    )  # fmt: skip
    if usage and usage["should_limit"]:
        outcome, own, elsewhere = "limited", [], 0
    else:
        own, elsewhere = find_duplicates(actor, data)
        outcome = {(False, False): "none", (True, False): "own", (False, True): "elsewhere"}.get(
            (bool(own), bool(elsewhere)), "own_and_elsewhere"
        )
    with transaction.atomic():
        audit_about(user=actor, action="duplicate_check", model=CaseFile, detail={"result": outcome})
    if outcome == "limited":
        raise DuplicateCheckLimited(usage["limit"], usage["time_left"])
    if own or elsewhere:
        raise PossibleDuplicate(own, bool(elsewhere))


def case_create(*, actor, data: dict, confirm_duplicate: bool = False) -> CaseFile:
    """Open a case file in the actor's agency; warns (and stops) on a likely duplicate unless the
    actor confirmed (after a warning, or when the check was limited)."""
    _require_case_officer(actor)
    _validate(data)
    if not confirm_duplicate:
        duplicate_check(actor=actor, data=data)
    with transaction.atomic():
        return _case_insert(actor=actor, data=data, confirmed=confirm_duplicate)


def _case_insert(*, actor, data: dict, confirmed: bool) -> CaseFile:
    # The agency row is locked while its next case number is chosen: two intakes never share one.
    agency = MemberUnit.objects.select_for_update().get(pk=actor.unit_id)
    year = data["rescued_on"].year
    prefix = f"{agency.code}-{year}-"
    last = (
        CaseFile.objects.filter(number__startswith=prefix)
        .order_by("-number")
        .values_list("number", flat=True)
        .first()
    )
    now = clock.now()
    case = CaseFile(
        number=f"{prefix}{int(last.rsplit('-', 1)[1]) + 1 if last else 1:05d}",
        owner_agency=agency,
        created_at=now,
        created_by=actor,
        updated_at=now,
        updated_by=actor,
        **{field: data.get(field) for field in CASE_FIELDS if field in data},
        **_indexes(data),
    )
    for field in IDENTITY_FIELDS:
        setattr(case, field, (getattr(case, field) or "").strip())
    case.full_clean(exclude=["id_number_index", "name_birth_index"])
    case.save()
    audit(user=actor, action="create", obj=case, detail={"duplicate_confirmed": confirmed})
    return case


@transaction.atomic
def case_update(*, actor, case_id: int, data: dict, version: int | None) -> CaseFile:
    """Change a file (the owning agency only). The log names the fields, never identifier values."""
    _require_case_officer(actor)
    case = CaseFile.objects.restrict(actor, VIEW).select_for_update(of=("self",)).filter(pk=case_id).first()
    if case is None:
        raise Http404
    if not CaseFile.objects.restrict(actor, CHANGE).filter(pk=case_id).exists():
        raise PermissionDenied  # a receiving agency adds services and visits, but keeps the identity
    check_version(case, version)
    merged = {field: getattr(case, field) for field in CASE_FIELDS} | data
    changed = [field for field in data if field in CASE_FIELDS and getattr(case, field) != data[field]]
    # A number recorded before it was checked is checked when it, or its kind, is changed.
    _validate(merged, check_id_number=bool({"id_number", "id_document_kind"} & set(changed)))
    if not changed:
        return case
    for field in changed:
        setattr(case, field, data[field])
    for key, value in _indexes(merged).items():
        setattr(case, key, value)
    case.version += 1
    case.updated_at, case.updated_by = clock.now(), actor
    case.full_clean(exclude=["id_number_index", "name_birth_index"])
    case.save()
    detail = {
        "changed": changed,
        "values": {f: str(getattr(case, f)) for f in changed if f not in IDENTITY_FIELDS},
    }
    audit(user=actor, action="change", obj=case, detail=detail)
    return case


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
        "owner_agency", "home_province", "rescue_province", "rescuing_agency"
    )
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


def _visible_case(actor, case_id: int) -> CaseFile:
    _require_case_officer(actor)
    case = CaseFile.objects.restrict(actor, VIEW).filter(pk=case_id).first()
    if case is None:
        raise Http404
    return case


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
        case=case, kind=kind, agency_id=actor.unit_id, provided_on=provided_on, outcome=outcome.strip(),
        created_at=clock.now(), created_by=actor,
    )  # fmt: skip
    service.full_clean()
    service.save()
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
        agency_id=actor.unit_id,
        visited_on=visited_on,
        living_conditions=living_conditions.strip(),
        needs=(needs or "").strip(),
        next_visit_due=next_visit_due,
        created_at=clock.now(),
        created_by=actor,
    )
    audit(user=actor, action="add_follow_up", obj=case, detail={"visited_on": str(visited_on)})
    return visit


@transaction.atomic
def referral_create(*, actor, case_id: int, to_agency: MemberUnit, purpose: str,
                    kind: str = ReferralKind.REFERRAL) -> Referral:  # fmt: skip
    """The owning agency refers the case (or hands it over); needs the person's consent to sharing."""
    _require_case_officer(actor)
    case = CaseFile.objects.restrict(actor, CHANGE).select_for_update(of=("self",)).filter(pk=case_id).first()
    if case is None:
        if CaseFile.objects.restrict(actor, VIEW).filter(pk=case_id).exists():
            raise PermissionDenied
        raise Http404
    errors = {}
    if not case.consent_sharing:
        errors["to_agency"] = [_("The person has not consented to sharing the file with other agencies.")]
    if to_agency.pk == actor.unit_id:
        errors["to_agency"] = [_("Choose another agency than your own.")]
    if not (purpose or "").strip():
        errors["purpose"] = [_("Say what the receiving agency is asked to do.")]
    if errors:
        raise ValidationError(errors)
    if Referral.objects.filter(
        case=case, to_agency=to_agency, state__in=[ReferralState.PENDING, ReferralState.ACCEPTED]
    ).exists():
        raise WorkflowError(_("This case is already referred to %(agency)s.") % {"agency": to_agency})
    referral = Referral.objects.create(
        case=case, kind=kind, from_agency_id=actor.unit_id, to_agency=to_agency, purpose=purpose.strip(),
        requested_at=clock.now(), requested_by=actor,
    )  # fmt: skip
    audit(user=actor, action="refer", obj=case, detail={"to": to_agency.code, "kind": kind})
    notify(
        people(role=Role.CASE_OFFICER, unit=to_agency),
        title=gettext_noop("%(agency)s referred case %(number)s to your agency"),
        body=gettext_noop("Accept or decline it in the case files."),
        params={"agency": referral.from_agency, "number": case.number},
        link=reverse("cases:list"),
    )
    return referral


def _referral(actor, referral_id: int) -> Referral:
    _require_case_officer(actor)
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
    if referral.to_agency_id != actor.unit_id:
        raise PermissionDenied
    if referral.state != ReferralState.PENDING:
        raise WorkflowError(_("This referral was already decided."))
    referral.state = ReferralState.ACCEPTED if accept else ReferralState.DECLINED
    referral.decided_at, referral.decided_by, referral.note = clock.now(), actor, (note or "").strip()
    case = referral.case
    if accept and referral.kind == ReferralKind.TRANSFER:
        previous = case.owner_agency_id
        case.owner_agency_id = actor.unit_id
        case.version += 1
        case.save(update_fields=["owner_agency", "version"])
        referral.state, referral.ended_at = ReferralState.COMPLETED, clock.now()
        audit(user=actor, action="transfer", obj=case, detail={"from": previous, "to": actor.unit_id})
    elif accept:
        assign_perm(VIEW_CASE, agency_group(actor.unit_id), case)
    referral.save()
    notify(
        people(role=Role.CASE_OFFICER, unit_id=referral.from_agency_id),
        title=gettext_noop("%(agency)s accepted your referral of %(number)s")
        if accept
        else gettext_noop("%(agency)s declined your referral of %(number)s"),
        params={"agency": referral.to_agency, "number": case.number},
        link=reverse("cases:list"),
    )
    audit(user=actor, action="accept_referral" if accept else "decline_referral", obj=case,
          detail={"referral": referral.pk})  # fmt: skip
    return referral


@transaction.atomic
def referral_end(*, actor, referral_id: int, revoke: bool) -> Referral:
    """The sender revokes, or the receiver completes, an accepted referral: its access ends."""
    referral = _referral(actor, referral_id)
    allowed = referral.from_agency_id if revoke else referral.to_agency_id
    if actor.unit_id != allowed:
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
