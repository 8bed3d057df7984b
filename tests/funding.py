"""Helpers for tests of funding by channel: lines added through the services."""

from decimal import Decimal

from measures.choices import FundingChannel
from measures.models import Area, Plan
from measures.services.funding import FundingInput, funding_line_add

PLAN = "2008-2012"


def funding_input(**fields) -> FundingInput:
    """A budget line of 2009 for the work as a whole, changed by ``fields`` (``area=2`` is area 2)."""
    values = {"year": 2009, "channel": FundingChannel.BUDGET, "amount": Decimal("1000.00")}
    values.update(fields)
    if isinstance(values.get("area"), int):
        values["area"] = Area.objects.get(plan__code=PLAN, seq=values["area"])
    for name in ("amount", "budgeted"):
        if isinstance(values.get(name), str | int):
            values[name] = Decimal(values[name])
    return FundingInput(**values)


def add_line(user, **fields):
    """A line of ``user``'s unit or province in the plan of 2008–2012."""
    return funding_line_add(actor=user, plan=Plan.objects.get(code=PLAN), line=funding_input(**fields))


def lines_of(user, count: int, **fields) -> list:
    """``count`` lines of ``user``, over the plan's years and the three channels in turn."""
    kinds = [
        {"channel": FundingChannel.BUDGET, "budgeted": "2000"},
        {"channel": FundingChannel.DONATION, "donor_kind": "enterprise"},
        {"channel": FundingChannel.INTERNATIONAL_AID, "donor": "UNICEF"},
    ]
    return [
        add_line(user, year=2008 + index % 5, area=1 + index % 5, **kinds[index % 3], **fields)
        for index in range(count)
    ]
