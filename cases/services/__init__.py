"""Writes of case files, by topic: the file itself (``case_files``: intake and changes), the
duplicate check at intake (``duplicates``), the logged reads (``logged_reads``: lookups, lists,
views, reveals), the assistance given (``assistance``: services and follow-ups) and referrals
(``referrals``). Other apps and the tests import them from here; inside cases, from the topic."""

from cases.services.assistance import follow_up_add, service_add
from cases.services.case_files import (
    _id_number_error,  # the tests check a number's check digit through it
    case_create,
    case_update,
)
from cases.services.duplicates import DuplicateCheckLimited, PossibleDuplicate, duplicate_check
from cases.services.logged_reads import (
    case_read,
    case_refused,
    case_reveal,
    case_viewed,
    case_visible,
    cases_shown,
    visible_or_refused,
)
from cases.services.referrals import referral_create, referral_decide, referral_end

__all__ = [
    "DuplicateCheckLimited",
    "PossibleDuplicate",
    "_id_number_error",
    "case_create",
    "case_read",
    "case_refused",
    "case_reveal",
    "case_update",
    "case_viewed",
    "case_visible",
    "cases_shown",
    "duplicate_check",
    "follow_up_add",
    "referral_create",
    "referral_decide",
    "referral_end",
    "service_add",
    "visible_or_refused",
]
