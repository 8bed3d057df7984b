"""Enumerations every app shares: the roles the gate knows, and the states of a reviewed record; each
value with a label and a colour (for badges)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    """What a person does in the portal; decides what they may see and change."""

    LIAISON = "liaison", _("Liaison officer")
    OFFICE = "office", _("IMCS Office staff")
    PROVINCE = "province", _("Reporting officer")
    CASE_OFFICER = "case_officer", _("Case officer")
    CASE_SUPERVISOR = "case_supervisor", _("Case supervisor")
    AUDITOR = "auditor", _("Auditor")
    ADMIN = "admin", _("Administrator")

    @property
    def colour(self) -> str:
        return ROLE_COLOURS[self.value]


ROLE_COLOURS = {
    "liaison": "blue",
    "office": "red",
    "province": "green",
    "case_officer": "purple",
    "case_supervisor": "purple",
    "auditor": "grey",
    "admin": "black",
}

# Roles that read every unit's and province's submitted work (never a draft, never a case file).
READERS_OF_ALL = (Role.OFFICE, Role.AUDITOR, Role.ADMIN)


class ReviewState(models.TextChoices):
    """Where a record sent to the IMCS Office stands: a unit's progress entry, a province's report."""

    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    RETURNED = "returned", _("Returned")
    ACCEPTED = "accepted", _("Accepted")


# The states in which the unit or province may still edit its record.
EDITABLE_STATES = (ReviewState.DRAFT, ReviewState.RETURNED)
# The states the Office and auditors see: everything but a draft.
SHARED_STATES = (ReviewState.SUBMITTED, ReviewState.RETURNED, ReviewState.ACCEPTED)
# The states others see (units on the same measure): a returned record is being reworked by its
# owner, and its unsubmitted changes are not theirs to read.
PUBLISHED_STATES = (ReviewState.SUBMITTED, ReviewState.ACCEPTED)
