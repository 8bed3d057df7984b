from .evaluation import EvaluationRound, OfficeAssessment, SelfAssessment
from .plan import (
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
from .progress import EvidenceFile, ProgressEntry, ProgressFigure, ReportingPeriod

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
