from .plan import Area, FigureDefinition, Measure, Plan, PlanClause, Responsibility, Target
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
    "ReportingPeriod",
    "Responsibility",
    "Target",
]
