"""Who owns the coordination records of a member unit or a province (implementation plans, funding,
proposed good practices): a unit's liaison officers, or the reporting officers of a province's own
anti-trafficking office (not those of a prefecture or county below it). The one rule, read by the
records' access filters and by the services that make new ones."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q

from agencies.choices import DivisionLevel
from core.notify import people_with
from core.permissions import LOG_PROGRESS, NOTHING, REPORT_QUARTERLY, may
from core.workflow import ReviewedRecordType


@dataclass(frozen=True)
class Owner:
    """A unit or a province, as a record's two owner columns hold it (exactly one is set)."""

    unit_id: int | None = None
    province_id: int | None = None

    def q(self, prefix: str = "") -> Q:
        """The rows of this owner (``prefix`` leads to the owner columns: ``implementation_plan__``)."""
        if self.unit_id:
            return Q(**{f"{prefix}unit_id": self.unit_id})
        return Q(**{f"{prefix}province_id": self.province_id})

    @property
    def fields(self) -> dict:
        """The owner columns of a new record."""
        return {"unit_id": self.unit_id, "province_id": self.province_id}


def owner_of(user) -> Owner | None:
    """What ``user`` writes coordination records for: their member unit (a liaison officer), their
    province (a reporting officer of the province's own office), or nothing."""
    if may(user, LOG_PROGRESS) and user.unit_id:
        return Owner(unit_id=user.unit_id)
    if may(user, REPORT_QUARTERLY) and user.agency.division_id:
        if user.agency.division.level == DivisionLevel.PROVINCE:
            return Owner(province_id=user.province_id)
    return None


def owned_q(user, prefix: str = "") -> Q:
    """The records ``user`` owns (nothing for a user who owns none)."""
    owner = owner_of(user)
    return owner.q(prefix) if owner else NOTHING


def owner_columns_q() -> Q:
    """The check every owned record keeps: exactly one of unit and province."""
    return (Q(unit__isnull=False) & Q(province__isnull=True)) | (
        Q(unit__isnull=True) & Q(province__isnull=False)
    )


class CoordinationRecordType(ReviewedRecordType):
    """A reviewed record owned as the coordination records are (implementation plans, good
    practices): by a member unit or by a province (``owner_of``), not by one attribute shared by the
    user and the record. A decision is told to the unit's liaison officers or to the reporting
    officers of the province's own office. ``owner_capability`` and ``owner_field`` are not read."""

    def owns(self, user, record) -> bool:
        owner = owner_of(user)
        return owner is not None and owner == Owner(unit_id=record.unit_id, province_id=record.province_id)

    def owners(self, record):
        if record.unit_id:
            return people_with(LOG_PROGRESS, agency__unit_id=record.unit_id)
        return people_with(
            REPORT_QUARTERLY,
            agency__province_id=record.province_id,
            agency__division__level=DivisionLevel.PROVINCE,
        )
