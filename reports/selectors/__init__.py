"""Reads of the reports app, by topic: quarterly reports (``quarterly``), the plan's indicators
(``indicators``), the dashboards' progress (``dashboards``). Each takes the user and starts from the
gate. Inside the app, import from the topic module; these names are re-exported for the callers
that read ``selectors.<name>``."""

from reports.selectors.dashboards import progress_bars, status_labels
from reports.selectors.indicators import IndicatorRow, indicator_series, indicators
from reports.selectors.quarterly import COUNTED_STATES, province_completeness, province_quarters

__all__ = [
    "COUNTED_STATES",
    "IndicatorRow",
    "indicator_series",
    "indicators",
    "progress_bars",
    "province_completeness",
    "province_quarters",
    "status_labels",
]
