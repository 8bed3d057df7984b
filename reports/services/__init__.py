"""Writes of the reports app, by topic: the quarterly report workflow (``quarterly``), its upload and
workbook (``quarterly_uploads``, ``quarterly_workbook``), baselines, reminders, the job runner
(``jobs``) and compiled reports (``compiled``). Import from the topic module: no caller reads them
through the package."""
