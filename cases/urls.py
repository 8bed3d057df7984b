"""URLs of the case pages (under /cases/)."""

from django.urls import path, re_path

from cases.views import (
    assistance,
    audit_log,
    case_files,
    exports,
    overdue,
    public_reports,
    referrals,
    statistics,
)

app_name = "cases"

# The holding agency's code (MPS, MCA-530100), the year, the file's sequence: MCA-530100-2009-00001.
NUMBER = r"(?P<number>[A-Z_]+(?:-[A-Z0-9_]+)*-[0-9]{4}-[0-9]{5})"

urlpatterns = [
    path("", case_files.case_list, name="list"),
    path("new/", case_files.case_new, name="new"),
    path("overdue/", overdue.overdue, name="overdue"),
    path("referrals/", referrals.incoming, name="incoming"),
    path("statistics/", statistics.statistics, name="statistics"),
    path("audit/", audit_log.audit_log, name="audit"),
    path("public-reports/", public_reports.report_list, name="public_reports"),
    path("public-reports/statistics/", public_reports.report_statistics, name="public_report_statistics"),
    path("public-reports/<int:pk>/", public_reports.report_detail, name="public_report"),
    path("public-reports/<int:pk>/update/", public_reports.report_update, name="public_report_update"),
    path("public-reports/<int:pk>/forward/", public_reports.report_forward, name="public_report_forward"),
    path("public-report-files/<int:pk>/", public_reports.attachment_download, name="public_report_file"),
    re_path(r"^audit\.(?P<fmt>csv|xlsx)$", audit_log.audit_export, name="audit_export"),
    re_path(r"^export\.(?P<fmt>csv|xlsx)$", exports.export, name="export"),
    re_path(
        r"^referrals/(?P<pk>[0-9]+)/(?P<action>accept|decline|complete|revoke)/$",
        referrals.referral_action,
        name="referral",
    ),
    re_path(rf"^{NUMBER}/$", case_files.case_detail, name="case"),
    re_path(rf"^{NUMBER}/edit/$", case_files.case_edit, name="edit"),
    re_path(rf"^{NUMBER}/reveal/$", case_files.case_reveal, name="reveal"),
    re_path(rf"^{NUMBER}/services/$", assistance.service_add, name="service"),
    re_path(rf"^{NUMBER}/follow-ups/$", assistance.follow_up_add, name="follow_up"),
    re_path(rf"^{NUMBER}/referrals/$", referrals.referral_add, name="referral_add"),
]
