"""Reads of funding by channel: an owner's lines of a year, the totals a reader may see (by
channel, by year, by area and for the work as a whole) and the totals of each owner, a page at a
time. The sums are made by the database; each read costs a fixed number of queries."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Q, QuerySet, Sum

from agencies.models import MemberUnit, Province
from core.permissions import VIEW
from measures.choices import FundingChannel
from measures.models import Area, FundingLine, Plan
from measures.models.owners import Owner

ZERO = Decimal("0.00")
CHANNELS = list(FundingChannel)


@dataclass
class Amounts:
    """What a group of lines holds: budgeted and spent (budgets), received (donations, aid), by
    channel; ``total`` is what was spent or received over every channel."""

    budgeted: Decimal = ZERO
    by_channel: dict[str, Decimal] = field(default_factory=lambda: dict.fromkeys(FundingChannel.values, ZERO))

    def add(self, channel: str, amount: Decimal, budgeted: Decimal | None) -> None:
        self.by_channel[channel] += amount
        self.budgeted += budgeted or ZERO

    @property
    def total(self) -> Decimal:
        return sum(self.by_channel.values(), ZERO)

    @property
    def budget(self) -> Decimal:
        return self.by_channel[FundingChannel.BUDGET]

    @property
    def donation(self) -> Decimal:
        return self.by_channel[FundingChannel.DONATION]

    @property
    def international_aid(self) -> Decimal:
        return self.by_channel[FundingChannel.INTERNATIONAL_AID]


@dataclass
class ChannelTotal:
    channel: FundingChannel
    budgeted: Decimal | None
    amount: Decimal
    lines: int


@dataclass
class FundingTotals:
    """The totals of the lines a reader sees: by channel, by year (each with its channels), by area
    (``area`` None: the work as a whole), and all of it."""

    channels: list[ChannelTotal]
    years: list[tuple[int, Amounts]]
    areas: list[tuple[Area | None, Amounts]]
    all: Amounts
    lines: int

    @property
    def empty(self) -> bool:
        return self.lines == 0


def visible_lines(user, plan: Plan, *, years=None) -> QuerySet[FundingLine]:
    """The plan's lines ``user`` may see, of ``years`` (a range or a list; None: every year)."""
    lines = FundingLine.objects.restrict(user, VIEW).filter(plan=plan)
    if years is not None:
        lines = lines.filter(year__in=list(years))
    return lines


def funding_totals(user, plan: Plan, *, years=None, lines: QuerySet | None = None) -> FundingTotals:
    """The totals of what ``user`` sees of ``plan`` (of ``years``, or of ``lines`` already
    narrowed). Two queries: the sums grouped by year, channel and area, and the plan's areas."""
    lines = visible_lines(user, plan, years=years) if lines is None else lines
    groups = (
        lines.order_by()
        .values("year", "channel", "area_id")
        .annotate(amount=Sum("amount"), budgeted=Sum("budgeted"), count=Count("pk"))
    )
    areas = {area.pk: area for area in Area.objects.filter(plan=plan).order_by("seq")}
    by_year: dict[int, Amounts] = {}
    by_area: dict[int | None, Amounts] = {}
    whole = Amounts()
    channel_budgeted: dict[str, Decimal] = dict.fromkeys(FundingChannel.values, ZERO)
    channel_lines: dict[str, int] = dict.fromkeys(FundingChannel.values, 0)
    count = 0
    for group in groups:
        channel, amount, budgeted = group["channel"], group["amount"], group["budgeted"]
        for amounts in (
            by_year.setdefault(group["year"], Amounts()),
            by_area.setdefault(group["area_id"], Amounts()),
            whole,
        ):
            amounts.add(channel, amount, budgeted)
        channel_budgeted[channel] += budgeted or ZERO
        channel_lines[channel] += group["count"]
        count += group["count"]
    channels = [
        ChannelTotal(
            channel=channel,
            budgeted=channel_budgeted[channel] if channel == FundingChannel.BUDGET else None,
            amount=whole.by_channel[channel],
            lines=channel_lines[channel],
        )
        for channel in CHANNELS
    ]
    area_rows = [(areas[pk], by_area[pk]) for pk in areas if pk in by_area]
    if None in by_area:
        area_rows.append((None, by_area[None]))
    return FundingTotals(
        channels=channels,
        years=sorted(by_year.items()),
        areas=area_rows,
        all=whole,
        lines=count,
    )


def owner_lines(user, plan: Plan, owner: Owner, year: int) -> QuerySet[FundingLine]:
    """The lines of ``owner`` in ``year`` that ``user`` sees, with their areas (one query)."""
    return (
        visible_lines(user, plan, years=[year])
        .filter(owner.q())
        .select_related("area")
        .order_by("channel", "area__seq", "pk")
    )


@dataclass
class OwnerTotal:
    """A unit's or a province's totals (one row of the Office's table)."""

    unit: MemberUnit | None
    province: Province | None
    amounts: Amounts

    @property
    def owner(self):
        return self.unit or self.province


def owner_groups(user, plan: Plan, *, years=None) -> QuerySet:
    """The owners with lines ``user`` sees, units first (by code) then provinces (by code): one row
    of ``unit_id``/``province_id`` each, to be paged and then read with ``owner_totals``."""
    return (
        visible_lines(user, plan, years=years)
        .order_by("unit__code", "province__code")
        .values("unit_id", "province_id", "unit__code", "province__code")
        .distinct()
    )


def owner_totals(user, plan: Plan, owners, *, years=None) -> list[OwnerTotal]:
    """The totals of each owner of ``owners`` (a page of ``owner_groups``), by channel. Three
    queries: the sums, the units and the provinces."""
    owners = list(owners)
    unit_ids = [row["unit_id"] for row in owners if row["unit_id"]]
    province_ids = [row["province_id"] for row in owners if row["province_id"]]
    if not owners:
        return []
    sums = (
        visible_lines(user, plan, years=years)
        .filter(Q(unit_id__in=unit_ids) | Q(province_id__in=province_ids))
        .order_by()
        .values("unit_id", "province_id", "channel")
        .annotate(amount=Sum("amount"), budgeted=Sum("budgeted"))
    )
    amounts: dict[tuple, Amounts] = {}
    for row in sums:
        key = (row["unit_id"], row["province_id"])
        amounts.setdefault(key, Amounts()).add(row["channel"], row["amount"], row["budgeted"])
    units = MemberUnit.objects.in_bulk(unit_ids)
    provinces = Province.objects.in_bulk(province_ids)
    return [
        OwnerTotal(
            unit=units.get(row["unit_id"]),
            province=provinces.get(row["province_id"]),
            amounts=amounts.get((row["unit_id"], row["province_id"]), Amounts()),
        )
        for row in owners
    ]
