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
    "EvidenceFile",
    "FigureDefinition",
    "Measure",
    "Plan",
    "PlanClause",
    "ProgressEntry",
    "ProgressFigure",
    "QuarterlyFigure",
    "QuarterlyRule",
    "ReportingPeriod",
    "Responsibility",
    "Target",
]
