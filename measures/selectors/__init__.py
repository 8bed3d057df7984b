"""Reads of the measures app that need more than one line, by topic: the plan (``plan``), progress
(``progress``) and evaluation rounds (``evaluation``). Each costs a fixed number of queries.

Inside the app, import from the topic module; this package re-exports what other apps and the
``from measures import selectors`` callers use.
"""

from measures.selectors.evaluation import (
    CompareRow,
    Completeness,
    EvaluationRow,
    RatingPair,
    RoundMeasure,
    UnitAssessment,
    evaluated_measures,
    evaluation_rows,
    round_measures,
    rounds_compare,
    rounds_completeness,
)
from measures.selectors.plan import (
    Matrix,
    areas_with_counts,
    measures_with_units,
    plan_current,
    responsibility_matrix,
    unit_measures,
)
from measures.selectors.progress import (
    MyMeasureRow,
    TimelinessCell,
    UnitEntry,
    measure_period_entries,
    my_measures,
    returned_to_unit,
    review_inbox,
    unit_timeliness,
)

__all__ = [
    "CompareRow",
    "Completeness",
    "EvaluationRow",
    "Matrix",
    "MyMeasureRow",
    "RatingPair",
    "RoundMeasure",
    "TimelinessCell",
    "UnitAssessment",
    "UnitEntry",
    "areas_with_counts",
    "evaluated_measures",
    "evaluation_rows",
    "measure_period_entries",
    "measures_with_units",
    "my_measures",
    "plan_current",
    "responsibility_matrix",
    "returned_to_unit",
    "review_inbox",
    "round_measures",
    "rounds_compare",
    "rounds_completeness",
    "unit_measures",
    "unit_timeliness",
]
