"""Enumerations of case files, each value with a label."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Category(models.TextChoices):
    WOMAN = "woman", _("Woman")
    CHILD = "child", _("Child")


class Sex(models.TextChoices):
    FEMALE = "female", _("Female")
    MALE = "male", _("Male")


class DocumentKind(models.TextChoices):
    """The kind of identity document whose number is recorded. Only a mainland resident identity
    card has a number the portal can check (GB 11643: 18 characters, the last a check digit)."""

    RESIDENT_ID = "resident_id", _("Resident identity card")
    PASSPORT = "passport", _("Passport")
    OTHER = "other", _("Other document")


class Exploitation(models.TextChoices):
    FORCED_LABOUR = "forced_labour", _("Forced labour")
    SEXUAL = "sexual_exploitation", _("Sexual exploitation")
    FORCED_MARRIAGE = "forced_marriage", _("Forced marriage")
    BEGGING = "begging", _("Forced begging")
    ILLEGAL_ADOPTION = "illegal_adoption", _("Illegal adoption")
    OTHER = "other", _("Other")


class CaseStatus(models.TextChoices):
    OPEN = "open", _("Open")
    ASSISTED = "assisted", _("Receiving assistance")
    REINTEGRATED = "reintegrated", _("Reintegrated")
    CLOSED = "closed", _("Closed")
    TRANSFERRED = "transferred", _("Transferred")


class ServiceKind(models.TextChoices):
    MEDICAL = "medical", _("Medical care")
    PSYCHOLOGICAL = "psychological", _("Psychological support")
    LEGAL_AID = "legal_aid", _("Legal aid")
    SHELTER = "shelter", _("Shelter")
    SCHOOLING = "schooling", _("Schooling")
    VOCATIONAL = "vocational_training", _("Vocational training")
    REUNIFICATION = "family_reunification", _("Family reunification")
    LIVELIHOOD = "livelihood", _("Livelihood support")


class ReferralKind(models.TextChoices):
    REFERRAL = "referral", _("Referral for services")
    TRANSFER = "transfer", _("Transfer of the case file")


class ReferralState(models.TextChoices):
    PENDING = "pending", _("Waiting for the receiving agency")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")
    COMPLETED = "completed", _("Completed")
    REVOKED = "revoked", _("Revoked")


class PublicReportStatus(models.TextChoices):
    """Where a report of a suspected crime from the public stands: the only thing its follow-up code
    shows the person who sent it."""

    RECEIVED = "received", _("Received")
    IN_TRIAGE = "in_triage", _("Being routed")
    UNDER_REVIEW = "under_review", _("Being looked into")
    CLOSED = "closed", _("Closed")

    @property
    def colour(self) -> str:
        return {"received": "blue", "in_triage": "orange", "under_review": "green", "closed": "grey"}[
            self.value
        ]
