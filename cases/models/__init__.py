"""Models of case files, by topic: the file itself (``case_files``), the grants that open it to another
agency (``grants``), the assistance given (``assistance``: services and follow-up visits) referrals
between agencies (``referrals``) and the public's reports of crimes (``public_reports``). Other apps
import them from here; inside cases, from the topic."""

from cases.models.assistance import AssistanceService, FollowUp
from cases.models.case_files import CaseFile
from cases.models.grants import CaseFileGroupObjectPermission, CaseFileUserObjectPermission
from cases.models.public_reports import PublicReport, PublicReportAttachment
from cases.models.referrals import Referral

__all__ = [
    "AssistanceService",
    "CaseFile",
    "CaseFileGroupObjectPermission",
    "CaseFileUserObjectPermission",
    "FollowUp",
    "PublicReport",
    "PublicReportAttachment",
    "Referral",
]
