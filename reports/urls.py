"""The reports app's pages: quarterly reports, completeness, indicators, baselines, dashboards, jobs
and compiled reports."""

from django.urls import path, re_path

from reports.views import (
    baselines,
    chain,
    compiled,
    completeness,
    dashboards,
    indicators,
    jobs,
    quarterly,
    quarterly_workbook,
)

app_name = "reports"

PERIOD = r"(?P<period>[0-9]{4}Q[1-4])"

urlpatterns = [
    path("dashboard/", dashboards.dashboard, name="dashboard"),
    path("quarterly/", quarterly.quarterly_home, name="quarterly"),
    path("quarterly/mine/", quarterly.my_reports, name="my_reports"),
    path("quarterly/inbox/", quarterly.quarterly_inbox, name="quarterly_inbox"),
    re_path(rf"^quarterly/{PERIOD}/edit/$", quarterly.report_edit, name="report_edit"),
    re_path(rf"^quarterly/{PERIOD}/template\.xlsx$", quarterly_workbook.template_download, name="template"),
    re_path(rf"^quarterly/{PERIOD}/upload/$", quarterly_workbook.upload, name="upload"),
    re_path(rf"^quarterly/{PERIOD}/reopen-request/$", quarterly.reopen_request, name="reopen_request"),
    path("quarterly/below/", chain.below_current, name="below_current"),
    re_path(rf"^quarterly/{PERIOD}/below/$", chain.below, name="below"),
    re_path(rf"^quarterly/{PERIOD}/below/approve/$", chain.below_approve, name="below_approve"),
    re_path(
        rf"^quarterly/{PERIOD}/below/(?P<division>[0-9]{{6}})/nothing/$",
        chain.below_nothing,
        name="below_nothing",
    ),
    re_path(
        rf"^quarterly/{PERIOD}/below/(?P<division>[0-9]{{6}})/exception/$",
        chain.below_exception,
        name="below_exception",
    ),
    re_path(rf"^quarterly/(?P<division>[0-9]{{6}})/{PERIOD}/$", quarterly.report_detail, name="report"),
    re_path(
        rf"^quarterly/(?P<division>[0-9]{{6}})/{PERIOD}/(?P<decision>accept|return|reopen)/$",
        quarterly.report_decide,
        name="report_decide",
    ),
    re_path(
        r"^reopen-requests/(?P<pk>[0-9]+)/(?P<decision>grant|refuse)/$",
        quarterly.reopen_decide,
        name="reopen_decide",
    ),
    path("completeness/", completeness.completeness, name="completeness"),
    re_path(
        r"^completeness\.(?P<fmt>csv|xlsx)$", completeness.completeness_export, name="completeness_export"
    ),
    re_path(
        r"^completeness/(?P<division>[0-9]{6})/$", completeness.completeness, name="completeness_division"
    ),
    re_path(
        r"^completeness/(?P<division>[0-9]{6})\.(?P<fmt>csv|xlsx)$",
        completeness.completeness_export,
        name="completeness_division_export",
    ),
    path("indicators/", indicators.indicators, name="indicators"),
    path("baselines/", baselines.baselines, name="baselines"),
    path("jobs/<int:pk>/", jobs.job_detail, name="job"),
    path("jobs/<int:pk>/status.json", jobs.job_status, name="job_status"),
    path("jobs/<int:pk>/retry/", jobs.job_retry_view, name="job_retry"),
    path("jobs/<int:pk>/compile-again/", compiled.job_compile_again, name="job_compile_again"),
    re_path(r"^jobs/(?P<pk>[0-9]+)/report\.(?P<fmt>pdf|xlsx)$", compiled.job_file, name="job_file"),
    path("compiled/", compiled.compiled_list, name="compiled"),
]
