"""Writes of case files, by topic: the file itself (``case_files``: intake and changes), the
duplicate check at intake (``duplicates``), the logged reads (``logged_reads``: lookups, lists,
views, reveals), the assistance given (``assistance``: services and follow-ups) and referrals
(``referrals``). Other apps and the tests import them from here."""

from cases.services.assistance import follow_up_add, service_add
from cases.services.case_files import (
    CASE_FIELDS,
    IDENTITY_FIELDS,
    _id_number_error,  # the tests check a number's check digit through it
    case_create,
    case_update,
    require_case_keeper,
)
from cases.services.duplicates import (
    DuplicateCheckLimited,
    PossibleDuplicate,
    duplicate_check,
    find_duplicates,
    identity_indexes,
)
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
    "CASE_FIELDS",
    "IDENTITY_FIELDS",
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
    "find_duplicates",
    "follow_up_add",
    "identity_indexes",
    "referral_create",
    "referral_decide",
    "referral_end",
    "require_case_keeper",
    "service_add",
    "visible_or_refused",
]
