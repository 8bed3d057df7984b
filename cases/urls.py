from django.urls import path, re_path

from cases import views

app_name = "cases"

NUMBER = r"(?P<number>[A-Z_]+-[0-9]{4}-[0-9]{5})"

urlpatterns = [
    path("", views.case_list, name="list"),
    path("new/", views.case_new, name="new"),
    path("overdue/", views.overdue, name="overdue"),
    path("statistics/", views.statistics, name="statistics"),
    path("audit/", views.audit_log, name="audit"),
    re_path(r"^audit\.(?P<fmt>csv|xlsx)$", views.audit_export, name="audit_export"),
    re_path(r"^export\.(?P<fmt>csv|xlsx)$", views.export, name="export"),
    re_path(
        r"^referrals/(?P<pk>[0-9]+)/(?P<action>accept|decline|complete|revoke)/$",
        views.referral_action,
        name="referral",
    ),
    re_path(rf"^{NUMBER}/$", views.case_detail, name="case"),
    re_path(rf"^{NUMBER}/edit/$", views.case_edit, name="edit"),
    re_path(rf"^{NUMBER}/reveal/$", views.case_reveal, name="reveal"),
    re_path(rf"^{NUMBER}/services/$", views.service_add, name="service"),
    re_path(rf"^{NUMBER}/follow-ups/$", views.follow_up_add, name="follow_up"),
    re_path(rf"^{NUMBER}/referrals/$", views.referral_add, name="referral_add"),
]
