"""Dashboards: who sees which, what they count, and a bounded number of queries."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from agencies.models import Province
from measures.models import ProgressEntry
from reports.selectors.dashboards import progress_bars
from reports.selectors.indicators import indicator_series
from reports.services.baselines import baseline_set
from reports.services.compiled import sections
from tests.compiled import accept
from tests.fixtures import in_english
from tests.personas import reporters_elsewhere
from tests.progress import log_entry, pdf
from tests.quarterly import file_report, good_values
from tests.queries import page_queries

pytestmark = [pytest.mark.django_db, pytest.mark.portal_date("2009-10-20")]


@pytest.mark.parametrize(
    ("name", "status", "kind"),
    [("office", 200, "office"), ("auditor", 200, "office"), ("liaison_mca", 200, "unit"),
     ("reporter_gx", 200, "province"), ("case_mps", 404, None)],
)  # fmt: skip
def test_each_role_its_dashboard(client_as, plan, name, status, kind):
    response = client_as(name).get(reverse("reports:dashboard"))
    assert response.status_code == status
    if kind:
        assert response.context["kind"] == kind


def test_progress_counts_only_what_the_office_was_sent(persona, plan):
    mca = persona("liaison_mca")
    log_entry(mca, "4.2.a", "2009Q2", when="2009-07-05", status="delayed", submit=True)
    log_entry(mca, "4.2.c", "2009Q3", status="completed", new_files=[pdf()])
    by_area, by_unit = progress_bars(persona("office"), plan)
    area4 = next(bar for bar in by_area if bar.label.startswith("4."))
    assert area4.counts["delayed"] == 1 and area4.counts["completed"] == 0  # a draft is not counted
    mca_bar = next(bar for bar in by_unit if bar.label == "民政部")
    assert mca_bar.total == 10 and mca_bar.counts["none"] == 9  # MCA is responsible for 10 entries


def test_indicator_series_against_the_baseline(persona, plan):
    gx = persona("reporter_gx")
    baseline_set(actor=persona("office"), plan=plan, province=Province.objects.get(code="450000"),
                 cases_reported=100, cases_solved=50)  # fmt: skip
    report = file_report(
        gx, "2009Q2", when="2009-07-05", values=good_values(cases_reported=40, cases_solved=30), submit=True
    )
    series = indicator_series(persona("office"), plan)
    assert series["ratio"][series["codes"].index("2009Q2")] is None  # not accepted yet: left out
    assert series["unconfirmed"]["reports"] == 1 and series["unconfirmed"]["cases_reported"] == 40
    accept(persona("office"), report, "2009-07-08")
    series = indicator_series(persona("office"), plan)
    assert series["baseline"] == 50.0
    assert series["ratio"][series["labels"].index("2009年第二季度")] == 75.0  # periods as people write them
    assert series["ratio"][series["labels"].index("2009年第一季度")] is None


def test_office_dashboard_queries_do_not_grow(client_as, persona, plan):
    client = client_as("office")
    file_report(persona("reporter_gx"), "2009Q2", when="2009-07-05", submit=True)
    log_entry(persona("liaison_mca"), "4.2.a", "2009Q2", when="2009-07-05", submit=True)

    small = page_queries(client, reverse("reports:dashboard"))
    for user in reporters_elsewhere(10):
        file_report(user, "2009Q2", when="2009-07-05", submit=True)
        file_report(user, "2009Q3", when="2009-10-05", submit=True)
    mca = persona("liaison_mca")
    for ref in ["4.2.c", "4.2.d", "4.3", "2.1.b"]:
        log_entry(mca, ref, "2009Q2", when="2009-07-05", submit=True)
    # At most 22: the milestone of 2.(3) (its target, the main provinces, their agreements) adds three.
    assert page_queries(client, reverse("reports:dashboard")) == small <= 22


def _main(response) -> str:
    html = response.content.decode()
    return html[html.index("<main") : html.index("</main>")]


def test_the_dashboard_is_computed_once_per_change_of_its_data(client_as, persona, plan):
    client, url = client_as("office"), reverse("reports:dashboard")
    mca = persona("liaison_mca")
    entry = log_entry(mca, "4.2.a", "2009Q2", when="2009-07-05", status="delayed", submit=True)
    first = client.get(url)
    with CaptureQueriesContext(connection) as read_back:
        again = client.get(url)
    assert _main(again) == _main(first) and len(read_back) < page_queries(client, url)
    log_entry(mca, "4.2.c", "2009Q2", when="2009-07-06", status="on_track", submit=True)  # a service
    after_service = client.get(url)
    assert _main(after_service) != _main(first)
    ProgressEntry.objects.filter(pk=entry.pk).first().delete()  # no service: the model's signal
    after_delete = client.get(url)
    assert _main(after_delete) != _main(after_service)
    assert "Dashboard" in _main(in_english(client).get(url)) and "Dashboard" not in _main(after_delete)


def test_a_compiled_reports_trend_stops_at_its_own_quarter(persona, plan):
    """The series' labels are words (2009年第二季度); the report finds its quarter by code, so its
    chart does not run on, empty, to the plan's end."""
    labels, ratio, assisted = sections._trend_until(indicator_series(persona("office"), plan), "2009Q2")
    assert labels[-1] == "2009年第二季度"
    assert len(labels) == len(ratio) == len(assisted) == 6  # 2008 Q1 … 2009 Q2
