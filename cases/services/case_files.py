"""Writes of the case file itself: intake (with its checks and the duplicate warning) and
changes by the owning agency. Every write takes the acting user, runs in one transaction,
re-checks the user's rights inside it, and appends to the audit log in that same transaction."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from stdnum import exceptions as stdnum_errors
from stdnum.cn import ric

from agencies.choices import DivisionLevel
from agencies.models import Agency
from cases.choices import Category, DocumentKind, Exploitation
from cases.models.case_files import CaseFile, case_keeping_agency
from cases.services.duplicates import duplicate_check, identity_indexes
from core import clock, statistics_cache
from core.audit import audit
from core.permissions import CHANGE, get_restricted_object
from core.workflow import check_version

IDENTITY_FIELDS = ("name", "id_number", "phone", "address", "household_registration")
CASE_FIELDS = (
    *IDENTITY_FIELDS, "id_document_kind", "category", "sex", "date_of_birth", "estimated_age",
    "home_province", "home_county", "home_division", "rescued_on", "rescue_province", "rescue_division",
    "rescuing_agency", "exploitation",
    "consent_services", "consent_sharing", "consent_statistics", "guardian_found", "status",
)  # fmt: skip

# Dates of a case: a person is at most this old (as the estimated age), a rescue no earlier than
# this (the oldest files that may still be opened).
OLDEST_AGE = 120
EARLIEST_RESCUE = dt.date(1980, 1, 1)


def require_case_keeper(actor) -> None:
    """Only a user who keeps case files, in an agency, writes them (else 403: the page that
    called was already refused by the gate)."""
    if case_keeping_agency(actor) is None:
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


def _division_problem(division, province) -> str | None:
    """What is wrong with a case's county or city beside its province, if anything: it is below the
    province level, and within the province when one is given."""
    if division is None:
        return None
    if division.level == DivisionLevel.PROVINCE:
        return _("Choose a county or city, not a province.")
    if province is not None and division.province_code != province.code:
        return _("%(division)s is not in %(province)s: choose a county or city of that province.") % {
            "division": division.name,
            "province": province.name,
        }
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
    for place in ("rescue", "home"):
        problem = _division_problem(data.get(f"{place}_division"), data.get(f"{place}_province"))
        if problem:
            errors[f"{place}_division"] = [problem]
    if errors:
        raise ValidationError(errors)


def case_create(*, actor, data: dict, confirm_duplicate: bool = False) -> CaseFile:
    """Open a case file in the actor's agency; warns (and stops) on a likely duplicate unless the
    actor confirmed (after a warning, or when the check was limited)."""
    require_case_keeper(actor)
    _validate(data)
    if not confirm_duplicate:
        duplicate_check(actor=actor, data=data)
    with transaction.atomic():
        return _case_insert(actor=actor, data=data, confirmed=confirm_duplicate)


def _case_insert(*, actor, data: dict, confirmed: bool) -> CaseFile:
    # The agency row is locked while its next case number is chosen: two intakes never share one.
    agency = Agency.objects.select_for_update(of=("self",)).get(pk=actor.agency_id)
    year = data["rescued_on"].year
    prefix = f"{agency.case_number_prefix}-{year}-"
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
        **identity_indexes(data),
    )
    for field in IDENTITY_FIELDS:
        setattr(case, field, (getattr(case, field) or "").strip())
    case.full_clean(exclude=["id_number_index", "name_birth_index"])
    case.save()
    statistics_cache.data_changed()
    audit(user=actor, action="create", obj=case, detail={"duplicate_confirmed": confirmed})
    return case


@transaction.atomic
def case_update(*, actor, case_id: int, data: dict, version: int | None) -> CaseFile:
    """Change a file (the owning agency only). The log names the fields, never identifier values."""
    require_case_keeper(actor)
    # 403 for a receiving agency: it adds services and visits, but keeps the identity.
    case = get_restricted_object(CaseFile.objects.select_for_update(of=("self",)), actor, CHANGE, pk=case_id)
    check_version(case, version)
    merged = {field: getattr(case, field) for field in CASE_FIELDS} | data
    changed = [field for field in data if field in CASE_FIELDS and getattr(case, field) != data[field]]
    # A number recorded before it was checked is checked when it, or its kind, is changed.
    _validate(merged, check_id_number=bool({"id_number", "id_document_kind"} & set(changed)))
    if not changed:
        return case
    for field in changed:
        setattr(case, field, data[field])
    for key, value in identity_indexes(merged).items():
        setattr(case, key, value)
    case.version += 1
    case.updated_at, case.updated_by = clock.now(), actor
    case.full_clean(exclude=["id_number_index", "name_birth_index"])
    case.save()
    statistics_cache.data_changed()
    detail = {
        "changed": changed,
        "values": {f: str(getattr(case, f)) for f in changed if f not in IDENTITY_FIELDS},
    }
    audit(user=actor, action="change", obj=case, detail=detail)
    return case
