"""Reads of the measures app that need more than one line, by topic: the plan (``plan``), progress
(``progress``) and evaluation rounds (``evaluation``). Each costs a fixed number of queries.

Inside the app, import from the topic module; this package re-exports what other apps and the
``from measures import selectors`` callers use.
"""

from measures.selectors.evaluation import evaluation_rows
from measures.selectors.plan import measures_with_units, plan_current
from measures.selectors.progress import unit_timeliness

__all__ = ["evaluation_rows", "measures_with_units", "plan_current", "unit_timeliness"]
