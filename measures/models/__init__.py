"""The models of the measures app, by topic: the plan (``plan``), reporting periods and progress
(``progress``), evaluation rounds (``evaluation``), membership and the units' changes (``membership``);
the coordination records: implementation plans (``implementation``), cooperation agreements
(``agreements``), funding (``funding``) and good practices (``practices``), owned as ``owners`` says."""

from measures.models.agreements import AgreementParty, CooperationAgreement
from measures.models.evaluation import EvaluationRound, OfficeAssessment, SelfAssessment
from measures.models.funding import FundingLine
from measures.models.implementation import (
    ImplementationLine,
    ImplementationPlan,
    ImplementationTarget,
    SelfCheck,
)
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
from measures.models.practices import GoodPractice, PracticeAttachment
from measures.models.progress import EvidenceFile, ProgressEntry, ProgressFigure, ReportingPeriod

__all__ = [
    "AgreementParty",
    "Area",
    "CooperationAgreement",
    "EvaluationRound",
    "EvidenceFile",
    "FigureDefinition",
    "FundingLine",
    "GoodPractice",
    "ImplementationLine",
    "ImplementationPlan",
    "ImplementationTarget",
    "Measure",
    "OfficeAssessment",
    "Plan",
    "PlanClause",
    "PlanMembership",
    "PracticeAttachment",
    "ProgressEntry",
    "ProgressFigure",
    "QuarterlyFigure",
    "QuarterlyRule",
    "ReportingPeriod",
    "Responsibility",
    "SelfAssessment",
    "SelfCheck",
    "Target",
    "UnitChange",
]
