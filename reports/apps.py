"""The reports app: quarterly reports of the provinces, compiled reports and dashboards, and the
background jobs that check uploads and compile reports."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from reports.choices import REPORT_KINDS, JobKind


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = _("Reports")

    def ready(self):
        # Django's rule: services use the models, which are loaded only by the time ready() runs.
        from reports import signals  # noqa: F401 - connects the receivers
        from reports.services.compiled.jobs import report_compile, report_finished
        from reports.services.jobs import register
        from reports.services.quarterly_uploads import quarterly_upload_check

        # Each kind of job and its handler: the runner (services/jobs.py) knows none of them.
        register(JobKind.QUARTERLY_UPLOAD, run=quarterly_upload_check)
        for kind in REPORT_KINDS:
            register(kind, run=report_compile, finished=report_finished, outputs=("pdf", "xlsx"))
