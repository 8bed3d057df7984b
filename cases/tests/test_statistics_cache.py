"""The case statistics are computed once per change of the data they count (issue 15): read again,
they cost no counting query; after a write through the services they are of the new data, at once
and again when its transaction commits."""

import datetime as dt

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cases import selectors, services
from cases.selectors import service_statistics
from tests.cases import open_case


def counting_queries(client) -> list[str]:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("cases:statistics")).status_code == 200
    return [q["sql"] for q in queries if "COUNT(" in q["sql"] and "cases_casefile" in q["sql"]]


def test_the_statistics_are_counted_once_per_change(client_as, mps, settings):
    settings.CASE_STATISTICS_THRESHOLD = 1
    case = open_case(mps)
    client = client_as("office")
    assert len(counting_queries(client)) == 2  # the cube and the services' table, counted once
    assert counting_queries(client) == []  # read again: from the cache
    services.service_add(actor=mps, case_id=case.pk, kind="shelter", provided_on=dt.date(2009, 7, 1))
    assert len(counting_queries(client)) == 2
    table = service_statistics(mps, threshold=1)
    assert table.row_totals["shelter"] == 1


def test_a_commit_renews_the_statistics(mps, django_capture_on_commit_callbacks):
    case = open_case(mps)
    before = service_statistics(mps, threshold=1)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        services.service_add(actor=mps, case_id=case.pk, kind="medical", provided_on=dt.date(2009, 7, 1))
    assert callbacks and before.row_totals.get("medical", 0) == 0
    assert service_statistics(mps, threshold=1).row_totals["medical"] == 1


def test_each_table_is_cut_once_per_change_in_each_language(client_as, mps, settings, monkeypatch):
    """A page reads its table from the cache, not the whole cube: a slice is cut once per change
    of the files, in the reader's language; a new file gives a new table at once."""
    cut = []
    slice_table = selectors._slice
    monkeypatch.setattr(selectors, "_slice", lambda *args: cut.append(args[1]) or slice_table(*args))
    settings.CASE_STATISTICS_THRESHOLD = 1
    open_case(mps)
    client = client_as("office")
    first = client.get(reverse("cases:statistics"), {"by": "category"}).context["table"]
    again = client.get(reverse("cases:statistics"), {"by": "category"}).context["table"]
    assert len(cut) == 1 and again.total == first.total == 1
    client.cookies["django_language"] = "en"
    english = client.get(reverse("cases:statistics"), {"by": "category"})
    assert len(cut) == 2 and "Child" in english.content.decode()
    open_case(mps, id_number="X2", name="另一个")
    assert client.get(reverse("cases:statistics"), {"by": "category"}).context["table"].total == 2
    assert len(cut) == 3
