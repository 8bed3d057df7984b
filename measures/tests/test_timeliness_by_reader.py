"""The units' timeliness is read through the gate, as its reader may see the entries: the Office
every unit's, a liaison officer their own unit's in full (the dashboard shows them only that row),
someone who sees no progress entry nothing submitted."""

import pytest

from core import clock, statistics_cache
from measures.models import Plan, Responsibility
from measures.selectors import unit_timeliness
from tests.progress import log_entry, period

pytestmark = pytest.mark.django_db


def rows(user, periods):
    plan = Plan.objects.get(code="2008-2012")
    return {
        unit.code: [(c.expected, c.on_time, c.late) for c in cells]
        for unit, cells in unit_timeliness(user, plan, periods, clock.today())
    }


def test_each_reader_counts_what_the_gate_shows(persona):
    mca, mps = persona("liaison_mca"), persona("liaison_mps")
    log_entry(mca, "4.2.a", "2009Q2", when="2009-07-15", submit=True)  # on time
    log_entry(mca, "4.2.c", "2009Q2", when="2009-07-16", submit=True)  # a day late
    mps_ref = Responsibility.objects.filter(unit__code="MPS", role="R").first().measure.ref
    log_entry(mps, mps_ref, "2009Q2", when="2009-07-10", submit=True)
    periods = [period("2009Q2")]
    office = rows(persona("office"), periods)
    assert office["MCA"][0][1:] == (1, 1) and office["MPS"][0][1:] == (1, 0)
    assert rows(persona("auditor"), periods) == office
    assert rows(mca, periods)["MCA"] == office["MCA"]
    assert rows(mps, periods)["MPS"] == office["MPS"]
    outsider = rows(persona("reporter_gx"), periods)
    assert set(outsider) == set(office)  # the plan's units are no secret
    assert all(on_time == late == 0 for cells in outsider.values() for _e, on_time, late in cells)


def test_four_queries_whatever_the_reader_and_the_number_of_periods(persona, django_assert_num_queries):
    """The user now chooses what is counted, not how often the table is read: four queries (the
    plan's changes of units, its responsibilities, the units, the entries) for the Office and for a
    liaison officer, for one quarter or four; a fifth for the liaison when the measures its unit
    answers for are read anew (``measures_answered_by``, kept until the plan's data changes)."""
    plan = Plan.objects.get(code="2008-2012")
    log_entry(persona("liaison_mca"), "4.2.a", "2009Q2", when="2009-07-15", submit=True)
    for name, queries in (("office", 4), ("liaison_mca", 5)):
        user = persona(name)
        for periods in ([period("2009Q2")], [period(f"2009Q{q}") for q in range(1, 5)]):
            statistics_cache.forget()
            with django_assert_num_queries(queries):
                table = unit_timeliness(user, plan, periods, clock.today())
            assert all(len(cells) == len(periods) for _unit, cells in table)


def test_the_successor_is_expected_to_report_on_its_predecessors_measures(persona):
    from measures.models import Measure
    from tests.personas import make_user

    mohrss = make_user("liaison_mohrss", "liaison", agency="MOHRSS")
    log_entry(mohrss, "5.4.c", "2009Q2", when="2009-07-15", submit=True)
    office = rows(persona("office"), [period("2009Q2")])
    molss_and_mop = Measure.objects.filter(
        plan__code="2008-2012", responsibilities__unit__code__in=["MOLSS", "MOP"]
    ).distinct()
    assert office["MOHRSS"] == [(molss_and_mop.count(), 1, 0)]
    assert "MOLSS" not in office and "MOP" not in office
