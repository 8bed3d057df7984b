"""The models of the measures app, by topic: the plan (``plan``), reporting periods and progress
(``progress``), evaluation rounds (``evaluation``), membership and the units' changes (``membership``)."""

from measures.models.evaluation import EvaluationRound, OfficeAssessment, SelfAssessment
from measures.models.membership import PlanMembership, UnitChange
from measures.models.plan import (
    Area,
    FigureDefinition,
    Measure,
    Plan,
    PlanClause,
    QuarterlyFigure,
    QuarterlyRule,
    Responsibility,
    Target,
)
from measures.models.progress import EvidenceFile, ProgressEntry, ProgressFigure, ReportingPeriod

__all__ = [
    "Area",
    "EvaluationRound",
    "EvidenceFile",
    "FigureDefinition",
    "Measure",
    "OfficeAssessment",
    "Plan",
    "PlanMembership",
    "PlanClause",
    "ProgressEntry",
    "ProgressFigure",
    "QuarterlyFigure",
    "QuarterlyRule",
    "ReportingPeriod",
    "Responsibility",
    "SelfAssessment",
    "Target",
    "UnitChange",
]
