"""The models of the measures app, by topic: the plan (``plan``), reporting periods and progress
(``progress``), evaluation rounds (``evaluation``)."""

from measures.models.evaluation import EvaluationRound, OfficeAssessment, SelfAssessment
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
    "PlanClause",
    "ProgressEntry",
    "ProgressFigure",
    "QuarterlyFigure",
    "QuarterlyRule",
    "ReportingPeriod",
    "Responsibility",
    "SelfAssessment",
    "Target",
]
