"""Helpers for tests of quarterly reports: figures that pass every rule, reports through services."""

from core import clock
from reports import services
from tests.progress import at, period


def good_values(**overrides) -> dict[str, int]:
    values = {
        "cases_reported": 40, "cases_solved": 30, "suspects_arrested": 45, "cross_province_cases": 10,
        "cross_border_cases": 2, "women_rescued": 20, "children_rescued": 15, "persons_assisted": 30,
        "assisted_medical": 20, "assisted_psychological": 12, "assisted_legal_aid": 8, "assisted_shelter": 18,
        "assisted_schooling": 6, "assisted_vocational": 5, "assisted_family_reunification": 22,
        "trainings_held": 4, "persons_trained": 180, "publicity_events": 9,
    }  # fmt: skip
    values.update(overrides)
    return values


def file_report(user, period_code: str, *, when: str = "2009-10-05", values=None, submit=False, **kwargs):
    """A province's report saved (and optionally submitted) on the given day."""
    args = {"narratives": {3: "开展打击专项行动。"}, "version": None}
    args.update(kwargs)
    with clock.travel(at(when)):
        return services.quarterly_report_save(
            actor=user, period=period(period_code), values=good_values() if values is None else values,
            submit=submit, **args,
        )  # fmt: skip
