"""Models of case files, by topic: the file itself (``case_files``), the grants that open it to
another agency (``grants``), the assistance given (``assistance``: services and follow-up visits)
and referrals between agencies (``referrals``). Other apps import them from here."""

from cases.models.assistance import AssistanceService, CasePartQuerySet, FollowUp
from cases.models.case_files import CaseFile, CaseFileQuerySet, mask_name, mask_tail
from cases.models.grants import (
    AGENCY_GROUP_PREFIX,
    VIEW_CASE,
    CaseFileGroupObjectPermission,
    CaseFileUserObjectPermission,
    agency_group,
    agency_group_name,
)
from cases.models.referrals import Referral, ReferralQuerySet

__all__ = [
    "AGENCY_GROUP_PREFIX",
    "VIEW_CASE",
    "AssistanceService",
    "CaseFile",
    "CaseFileGroupObjectPermission",
    "CaseFileQuerySet",
    "CaseFileUserObjectPermission",
    "CasePartQuerySet",
    "FollowUp",
    "Referral",
    "ReferralQuerySet",
    "agency_group",
    "agency_group_name",
    "mask_name",
    "mask_tail",
]
