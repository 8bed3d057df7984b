"""Reads of the reports app, by topic: quarterly reports (``quarterly``), the plan's indicators
(``indicators``), the dashboards' progress (``dashboards``). Each takes the user and starts from the
gate. Import from the topic module: no caller reads them through the package."""
