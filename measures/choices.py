"""Enumerations of the plan, each value with a label and a colour (for badges)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ResponsibilityRole(models.TextChoices):
    """How a unit stands to a measure, as the plan's parenthesis says (负责 / 配合)."""

    RESPONSIBLE = "R", _("Responsible")
    COOPERATING = "C", _("Cooperating")

    @property
    def colour(self) -> str:
        return {"R": "red", "C": "blue"}[self.value]


class TargetKind(models.TextChoices):
    MILESTONE = "milestone", _("Dated milestone")
    INDICATOR = "indicator", _("Indicator")


class TargetDirection(models.TextChoices):
    INCREASE = "increase", _("Increase")
    DECREASE = "decrease", _("Decrease")


class ClauseKind(models.TextChoices):
    """Parts of the plan outside Part Four that the portal keeps as text."""

    STRATEGIC_MEASURE = "strategic_measure", _("Strategic measure")
    IMCS_FUNCTION = "imcs_function", _("Function of the Joint Conference")
    SAFEGUARD = "safeguard", _("Organisation and safeguard")
    IMPLEMENTATION = "implementation", _("Implementation, monitoring and evaluation")


class ProgressStatus(models.TextChoices):
    """How a measure stands, as its responsible unit reports it."""

    NOT_STARTED = "not_started", _("Not started")
    ON_TRACK = "on_track", _("On track")
    AT_RISK = "at_risk", _("At risk")
    DELAYED = "delayed", _("Delayed")
    COMPLETED = "completed", _("Completed")

    @property
    def colour(self) -> str:
        return PROGRESS_STATUS_COLOURS[self.value]


PROGRESS_STATUS_COLOURS = {
    "not_started": "grey",
    "on_track": "green",
    "at_risk": "orange",
    "delayed": "red",
    "completed": "blue",
}


# The largest count a figure may hold (a PostgreSQL integer).
MAX_FIGURE = 2_147_483_647


class Timeliness(models.TextChoices):
    ON_TIME = "on_time", _("On time")
    LATE = "late", _("Late")
    MISSING = "missing", _("Missing")
    PENDING = "pending", _("Not yet due")


class FigureGroup(models.TextChoices):
    """Sections of the provinces' quarterly report form."""

    CASES = "cases", _("Cases")
    RESCUE = "rescue", _("Rescue")
    ASSISTANCE = "assistance", _("Assistance to rescued persons")
    PREVENTION = "prevention", _("Prevention and training")


class RuleImportance(models.TextChoices):
    ERROR = "error", _("Error")
    WARNING = "warning", _("Warning")


class EvaluationKind(models.TextChoices):
    """The two evaluations of Part Five of the plan: mid-term and final."""

    MID_TERM = "mid_term", _("Mid-term evaluation")
    FINAL = "final", _("Final evaluation")


class EvaluationState(models.TextChoices):
    OPEN = "open", _("Round open")
    CLOSED = "closed", _("Round closed")

    @property
    def colour(self) -> str:
        return {"open": "green", "closed": "grey"}[self.value]


class EvaluationRating(models.TextChoices):
    """How far a measure's objective was reached, as a unit or the Office rates it."""

    ACHIEVED = "achieved", _("Achieved")
    LARGELY = "largely", _("Largely achieved")
    PARTLY = "partly", _("Partly achieved")
    NOT_ACHIEVED = "not_achieved", _("Not achieved")

    @property
    def colour(self) -> str:
        return EVALUATION_RATING_COLOURS[self.value]


EVALUATION_RATING_COLOURS = {
    "achieved": "green",
    "largely": "blue",
    "partly": "orange",
    "not_achieved": "red",
}


class UnitChangeKind(models.TextChoices):
    RENAME = "rename", _("Renamed")
    MERGE = "merge", _("Merged")
    SPLIT = "split", _("Split")


class LineKind(models.TextChoices):
    """A line of an implementation plan: what the unit or province will do on a national measure,
    or a local measure (实施细则) that a province adds beneath it, with targets per division."""

    ACTION = "action", _("Action on a national measure")
    LOCAL_MEASURE = "local_measure", _("Local measure")


class SelfCheckStatus(models.TextChoices):
    """How a line of an implementation plan stands in a year's self-check."""

    DONE = "done", _("Done")
    ON_TRACK = "on_track", _("On track")
    BEHIND = "behind", _("Behind")
    NOT_STARTED = "not_started", _("Not started")

    @property
    def colour(self) -> str:
        return {"done": "blue", "on_track": "green", "behind": "red", "not_started": "grey"}[self.value]


class AgreementKind(models.TextChoices):
    """What a cooperation agreement is (2.(3): 合作意向书, and the agreements that follow)."""

    LETTER_OF_INTENT = "letter_of_intent", _("Letter of intent")
    AGREEMENT = "agreement", _("Agreement")
    MEMORANDUM = "memorandum", _("Memorandum of understanding")


class AgreementStatus(models.TextChoices):
    IN_FORCE = "in_force", _("In force")
    EXPIRED = "expired", _("Expired")
    TERMINATED = "terminated", _("Terminated")

    @property
    def colour(self) -> str:
        return {"in_force": "green", "expired": "grey", "terminated": "red"}[self.value]


class ForeignPartyKind(models.TextChoices):
    """A party of an agreement outside China's provinces (area 5: international cooperation)."""

    COUNTRY = "country", _("Country")
    ORGANISATION = "organisation", _("International organisation")


class FundingChannel(models.TextChoices):
    """Where money for the work comes from (Part Three 3): budgets at each level, donations of
    society, international aid."""

    BUDGET = "budget", _("Government budget")
    DONATION = "donation", _("Donations")
    INTERNATIONAL_AID = "international_aid", _("International aid")

    @property
    def colour(self) -> str:
        return {"budget": "blue", "donation": "green", "international_aid": "orange"}[self.value]


class DonorKind(models.TextChoices):
    """Who gave a donation (社会捐助): civil groups, enterprises, individuals."""

    CIVIL_GROUP = "civil_group", _("Civil group")
    ENTERPRISE = "enterprise", _("Enterprise")
    INDIVIDUAL = "individual", _("Individual")


# The largest amount in yuan a funding line or a budget may hold (14 digits, 2 after the point).
MAX_AMOUNT_DIGITS = 14
