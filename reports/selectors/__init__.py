"""Reads of the reports app, by topic: quarterly reports (``quarterly``), the plan's indicators
(``indicators``), the dashboards' progress (``dashboards``). Each takes the user and starts from the
gate. Inside the app, import from the topic module; these names are re-exported for the callers
that read ``selectors.<name>``."""

from reports.selectors.quarterly import province_quarters

__all__ = ["province_quarters"]
