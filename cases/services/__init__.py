"""Writes of case files, by topic: the file itself (``case_files``: intake and changes), the
duplicate check at intake (``duplicates``), the logged reads (``logged_reads``: lookups, lists,
views, reveals), the assistance given (``assistance``: services and follow-ups) and referrals
(``referrals``). Other apps and the tests import them from here; inside cases, from the topic."""

from cases.services.assistance import follow_up_add, service_add
from cases.services.case_files import case_create, case_update
from cases.services.duplicates import DuplicateCheckLimited, PossibleDuplicate
from cases.services.logged_reads import case_read
from cases.services.referrals import referral_create, referral_decide, referral_end

__all__ = [
    "DuplicateCheckLimited",
    "PossibleDuplicate",
    "case_create",
    "case_read",
    "case_update",
    "follow_up_add",
    "referral_create",
    "referral_decide",
    "referral_end",
    "service_add",
]
