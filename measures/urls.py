"""The measures app's pages: the plan browser, progress logging and review, evaluation rounds."""

from django.urls import path, re_path

from measures.views import (
    agreements,
    coordination,
    evaluation,
    funding,
    implementation,
    plan,
    practices,
    progress,
)

app_name = "measures"

PERIOD = r"(?P<period>[0-9]{4}Q[1-4])"
REF = r"(?P<ref>[0-9]+\.[0-9]+(?:\.[a-z])?)"

urlpatterns = [
    # The plan browser
    path("plans/<slug:plan>/", plan.plan_detail, name="plan"),
    path("plans/<slug:plan>/areas/<int:seq>/", plan.area_detail, name="area"),
    re_path(rf"^plans/(?P<plan>[-\w]+)/measures/{REF}/$", plan.measure_detail, name="measure"),
    path("plans/<slug:plan>/units/", plan.unit_list, name="units"),
    path("plans/<slug:plan>/units/<slug:unit>/", plan.unit_detail, name="unit"),
    path("plans/<slug:plan>/matrix/", plan.matrix, name="matrix"),
    re_path(r"^plans/(?P<plan>[-\w]+)/matrix\.(?P<fmt>csv|xlsx)$", plan.matrix_export, name="matrix_export"),
    # The coordination records (implementation plans, agreements, funding, good practices)
    path("plans/<slug:plan>/coordination/", coordination.coordination, name="coordination"),
    # Implementation plans (Part Five 1)
    path("plans/<slug:plan>/implementation/", implementation.plan_list, name="implementation_plans"),
    path("plans/<slug:plan>/implementation/mine/", implementation.plan_edit, name="implementation_plan_edit"),
    path("implementation/<int:pk>/", implementation.plan_detail, name="implementation_plan"),
    path("implementation/<int:pk>/submit/", implementation.plan_submit, name="implementation_plan_submit"),
    re_path(
        r"^implementation/(?P<pk>[0-9]+)/(?P<decision>accept|return|reopen)/$",
        implementation.plan_decide,
        name="implementation_plan_decide",
    ),
    path("implementation/<int:pk>/document/", implementation.plan_document, name="implementation_document"),
    path(
        "implementation/<int:pk>/self-check/<int:year>/",
        implementation.self_check,
        name="implementation_self_check",
    ),
    # Cooperation agreements (2.(3))
    path("plans/<slug:plan>/agreements/", agreements.registry, name="agreements"),
    path("plans/<slug:plan>/agreements/new/", agreements.agreement_record, name="agreement_record"),
    path("agreements/<int:pk>/", agreements.agreement_detail, name="agreement"),
    path("agreements/<int:pk>/edit/", agreements.agreement_edit, name="agreement_edit"),
    path("agreements/<int:pk>/document/", agreements.agreement_document, name="agreement_document"),
    # Funding by channel (Part Three 3)
    path("plans/<slug:plan>/funding/", funding.funding_home, name="funding"),
    path("plans/<slug:plan>/funding/totals/", funding.funding_totals, name="funding_totals"),
    path("funding/<int:pk>/edit/", funding.funding_line_edit, name="funding_line_edit"),
    path("funding/<int:pk>/delete/", funding.funding_line_remove, name="funding_line_delete"),
    # The library of good practices
    path("plans/<slug:plan>/practices/", practices.library, name="practices"),
    path("plans/<slug:plan>/practices/propose/", practices.practice_propose, name="practice_propose"),
    path("plans/<slug:plan>/practices/mine/", practices.my_practices, name="practices_mine"),
    path("plans/<slug:plan>/practices/review/", practices.review_queue, name="practices_review"),
    path("practices/<int:pk>/", practices.practice_detail, name="practice"),
    path("practices/<int:pk>/edit/", practices.practice_edit, name="practice_edit"),
    path("practices/<int:pk>/submit/", practices.practice_submit, name="practice_submit"),
    re_path(
        r"^practices/(?P<pk>[0-9]+)/(?P<decision>accept|return|reopen)/$",
        practices.practice_review,
        name="practice_review",
    ),
    path("practices/files/<int:pk>/", practices.attachment_download, name="practice_file"),
    # Progress logging and review
    path("progress/", progress.progress_home, name="progress"),
    path("progress/mine/", progress.my_measures, name="my_measures"),
    path("progress/inbox/", progress.review_inbox, name="review_inbox"),
    path("progress/timeliness/", progress.timeliness, name="timeliness"),
    re_path(
        r"^progress/timeliness\.(?P<fmt>csv|xlsx)$", progress.timeliness_export, name="timeliness_export"
    ),
    re_path(rf"^progress/(?P<plan>[-\w]+)/{PERIOD}/{REF}/$", progress.measure_period, name="measure_period"),
    re_path(rf"^progress/(?P<plan>[-\w]+)/{PERIOD}/{REF}/edit/$", progress.entry_edit, name="entry_edit"),
    path("progress/entries/<int:pk>/", progress.entry_detail, name="entry"),
    path("progress/entries/<int:pk>/submit/", progress.entry_submit, name="entry_submit"),
    re_path(
        r"^progress/entries/(?P<pk>[0-9]+)/(?P<decision>accept|return)/$",
        progress.entry_review,
        name="entry_review",
    ),
    path("progress/evidence/<int:pk>/", progress.evidence_download, name="evidence"),
    # Evaluation rounds (Part Five: mid-term and final evaluation)
    path("evaluation/", evaluation.round_list, name="evaluation_rounds"),
    path("evaluation/compare/", evaluation.rounds_compare, name="evaluation_compare"),
    path("evaluation/<int:pk>/", evaluation.round_detail, name="evaluation_round"),
    path("evaluation/<int:pk>/close/", evaluation.round_close, name="evaluation_round_close"),
    path(
        "evaluation/self-assessments/<int:pk>/evidence/",
        evaluation.self_assessment_evidence,
        name="evaluation_evidence",
    ),
]
