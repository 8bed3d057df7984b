"""The page of one measure and quarter (every unit's entry side by side) reads the units' entries
through the gate for the user; its queries do not grow with the entries, for the Office or a liaison."""

import pytest
from django.db.models import Count
from django.urls import reverse

from measures.models import Responsibility
from tests.progress import log_entry, pdf
from tests.queries import page_queries

pytestmark = [pytest.mark.django_db, pytest.mark.portal_date("2009-10-10")]


def test_queries_do_not_grow_with_the_units_entries(client_as, persona, plan):
    shared = (
        Responsibility.objects.filter(measure__plan=plan, unit__code__in=["MCA", "MPS"])
        .values("measure_id")
        .annotate(units=Count("unit_id", distinct=True))
        .filter(units=2)
        .order_by("measure_id")
        .values_list("measure__ref", flat=True)
        .first()
    )
    assert shared, "the plan has a measure of both MCA and MPS"
    roles = dict(Responsibility.objects.filter(measure__ref=shared).values_list("unit__code", "role"))

    def log(unit, **fields):
        status = "on_track" if roles[unit] == "R" else ""
        log_entry(persona(f"liaison_{unit.lower()}"), shared, "2009Q3", status=status, submit=True, **fields)

    url = reverse("measures:measure_period", kwargs={"plan": plan.code, "period": "2009Q3", "ref": shared})
    readers = ["office", "liaison_mca"]  # one test client, signed in as each in turn
    log("MCA")
    small = [page_queries(client_as(name), url) for name in readers]
    log("MPS", new_files=[pdf("a.pdf")])
    assert [page_queries(client_as(name), url) for name in readers] == small
    for name in readers:
        rows = client_as(name).get(url).context["rows"]
        assert sum(row.entry is not None for row in rows) == 2, name
