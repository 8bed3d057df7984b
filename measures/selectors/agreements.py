"""Reads of the registry of cooperation agreements: the registry filtered (newest first), an
agreement with what its page shows, the network of who cooperates with whom, and the judgement of
the plan's milestone 2.(3) (``province_cooperation_letters_2008``) from the registry.

Each starts from ``CooperationAgreement.objects.restrict`` and costs a fixed number of queries
whatever the number of agreements, parties or measures.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from agencies.models import Province
from core import clock
from core.bilingual import current_suffix
from core.permissions import VIEW
from measures.choices import AgreementStatus
from measures.models import AgreementParty, CooperationAgreement, Measure, Plan, Target
from measures.selectors.plan import plan_current

# The plan's milestone of 2.(3): by the end of 2008 the main origin and destination provinces sign
# letters of intent on cooperation. It is judged from the registry, not from progress entries.
COOPERATION_MILESTONE = "province_cooperation_letters_2008"

# A main province's standing on the milestone.
SIGNED, LATE, NOT_SIGNED, NOT_YET_DUE = "signed", "late", "not_signed", "not_yet_due"
VERDICTS = {
    SIGNED: _("Signed in time"),
    LATE: _("Signed after the due date"),
    NOT_SIGNED: _("Not signed"),
    NOT_YET_DUE: _("Not signed yet (not yet due)"),
}


@dataclass(frozen=True)
class AgreementFilters:
    """What the registry is filtered by: a party province's code, the kind, the status, the year
    signed and a measure it serves (by id)."""

    province: str = ""
    kind: str = ""
    status: str = ""
    year: int | None = None
    measure: int | None = None

    def apply(self, agreements: QuerySet) -> QuerySet:
        if self.province:
            parties = AgreementParty.objects.filter(province__code=self.province)
            agreements = agreements.filter(pk__in=parties.values("agreement_id"))
        if self.kind:
            agreements = agreements.filter(kind=self.kind)
        if self.status:
            agreements = agreements.filter(status=self.status)
        if self.year is not None:
            agreements = agreements.filter(signed_on__year=self.year)
        if self.measure is not None:
            links = CooperationAgreement.measures.through.objects.filter(measure_id=self.measure)
            agreements = agreements.filter(pk__in=links.values("cooperationagreement_id"))
        return agreements


def with_listing(agreements: QuerySet) -> QuerySet:
    """The related rows a list of agreements shows (parties with their provinces, measures)."""
    return agreements.prefetch_related(
        Prefetch("parties", queryset=AgreementParty.objects.select_related("province")),
        Prefetch("measures", queryset=Measure.objects.select_related("plan").order_by("plan_id", "seq")),
    )


def agreement_registry(user, filters: AgreementFilters = AgreementFilters()) -> QuerySet:
    """The agreements ``user`` may see that match ``filters``, newest first (signed, then recorded)."""
    agreements = filters.apply(CooperationAgreement.objects.restrict(user, VIEW))
    return with_listing(agreements).order_by("-signed_on", "-pk")


def agreement_with_details(user, pk: int) -> CooperationAgreement | None:
    """The agreement with what its page shows, if ``user`` may see it (None otherwise)."""
    return (
        with_listing(CooperationAgreement.objects.restrict(user, VIEW))
        .select_related("created_by", "updated_by")
        .filter(pk=pk)
        .first()
    )


def plan_of(user, agreement: CooperationAgreement) -> Plan | None:
    """The plan an agreement's page stands under: that of the first measure it serves (prefetched),
    else the newest plan ``user`` sees."""
    measures = list(agreement.measures.all())
    plans = Plan.objects.restrict(user)
    if measures:
        return plans.filter(pk=measures[0].plan_id).first()
    return plan_current(user)


# --- The network of who cooperates with whom ---------------------------------------------------


@dataclass
class Link:
    """Two parties of one or more agreements: two provinces, or a province and a party abroad."""

    a: Province
    b: Province | None
    abroad: str = ""  # the party abroad's name, where ``b`` is None
    abroad_kind: str = ""
    count: int = 0
    in_force: int = 0  # of them, not terminated


@dataclass
class Network:
    provinces: list[Province]
    links: list[Link] = field(default_factory=list)

    @property
    def abroad(self) -> list[tuple[str, str]]:
        """The parties abroad (name, kind), in the order they are first met."""
        seen: dict[tuple[str, str], None] = {}
        for link in self.links:
            if link.b is None:
                seen.setdefault((link.abroad, link.abroad_kind), None)
        return list(seen)


def agreement_network(user, filters: AgreementFilters = AgreementFilters()) -> Network:
    """Every pair of parties of the agreements ``user`` may see that match ``filters``, counted in
    the database (two queries, however many agreements)."""
    provinces = list(Province.objects.restrict(user).order_by("code"))
    agreements = filters.apply(CooperationAgreement.objects.restrict(user, VIEW))
    pairs = (
        AgreementParty.objects.filter(province__isnull=False, agreement__in=agreements.values("pk"))
        .values(
            "province_id",
            "agreement__parties__province_id",
            "agreement__parties__foreign_kind",
            "agreement__parties__foreign_name_zh",
            "agreement__parties__foreign_name_en",
        )
        .annotate(
            count=Count("agreement", distinct=True),
            in_force=Count(
                "agreement", distinct=True, filter=~Q(agreement__status=AgreementStatus.TERMINATED)
            ),
        )
        .order_by("province_id", "agreement__parties__province_id", "agreement__parties__foreign_name_zh")
    )
    by_pk = {province.pk: province for province in provinces}
    network = Network(provinces)
    for row in pairs:
        other = row["agreement__parties__province_id"]
        if other is not None and by_pk[other].code <= by_pk[row["province_id"]].code:
            continue  # each pair of provinces once, the lower code first
        name = localized(
            row["agreement__parties__foreign_name_zh"], row["agreement__parties__foreign_name_en"]
        )
        network.links.append(
            Link(
                a=by_pk[row["province_id"]],
                b=by_pk.get(other),
                abroad="" if other is not None else name,
                abroad_kind="" if other is not None else row["agreement__parties__foreign_kind"],
                count=row["count"],
                in_force=row["in_force"],
            )
        )
    return network


def localized(zh: str, en: str) -> str:
    """A text given in Chinese, English or both, in the active language where it has it."""
    return (en or zh) if current_suffix() == "en" else (zh or en)


# --- The milestone of 2.(3), judged from the registry --------------------------------------------


@dataclass
class Signing:
    """An agreement a main province signed with other provinces, and those provinces."""

    agreement: CooperationAgreement
    partners: list[Province]


@dataclass
class ProvinceStanding:
    """A main origin or destination province: the agreements it signed with another province by
    the due date (``in_time``) and after it, up to the day judged (``late``)."""

    province: Province
    in_time: list[Signing] = field(default_factory=list)
    late: list[Signing] = field(default_factory=list)
    due: bool = True  # whether the day judged is past the due date

    @property
    def verdict(self) -> str:
        if self.in_time:
            return SIGNED
        if self.late:
            return LATE
        return NOT_SIGNED if self.due else NOT_YET_DUE

    @property
    def verdict_label(self) -> str:
        return str(VERDICTS[self.verdict])

    @property
    def partners(self) -> list[Province]:
        """The provinces it signed with in time (else after the due date), each once."""
        found: dict[int, Province] = {}
        for signing in self.in_time or self.late:
            for partner in signing.partners:
                found.setdefault(partner.pk, partner)
        return sorted(found.values(), key=lambda p: p.code)

    @property
    def roles(self) -> list[str]:
        return [
            str(label)
            for flag, label in (
                (self.province.is_origin, _("origin")),
                (self.province.is_destination, _("destination")),
            )
            if flag
        ]


@dataclass
class MilestoneStanding:
    target: Target
    on: dt.date
    rows: list[ProvinceStanding]

    @property
    def due_on(self) -> dt.date:
        return self.target.due_on

    @property
    def due(self) -> bool:
        """Whether the day judged has reached the due date (on it, what is not signed is not)."""
        return self.on >= self.target.due_on

    @property
    def signed(self) -> list[ProvinceStanding]:
        return [row for row in self.rows if row.verdict == SIGNED]

    @property
    def not_signed(self) -> list[ProvinceStanding]:
        return [row for row in self.rows if row.verdict != SIGNED]

    @property
    def signed_count(self) -> int:
        return len(self.signed)

    @property
    def not_signed_count(self) -> int:
        return len(self.rows) - self.signed_count


def milestone_target(plan: Plan) -> Target | None:
    """The plan's milestone of 2.(3), where the plan states it."""
    return Target.objects.filter(plan=plan, code=COOPERATION_MILESTONE).select_related("measure").first()


def milestone_standing(user, target: Target, on: dt.date | None = None) -> MilestoneStanding:
    """Each main origin and destination province (``Province.is_origin`` / ``is_destination``) and
    whether it had signed, as ``user`` sees the registry on the day ``on`` (today by default): an
    agreement of any kind, with another province, signed on or before the milestone's due date and
    not terminated (an expired one was signed); one signed after the due date counts as late. Two
    queries."""
    on = on or clock.today()
    due_on = target.due_on
    main = list(
        Province.objects.restrict(user).filter(Q(is_origin=True) | Q(is_destination=True)).order_by("code")
    )
    agreements = (
        CooperationAgreement.objects.restrict(user, VIEW)
        .signed_by(on)
        .filter(pk__in=AgreementParty.objects.filter(province__in=main).values("agreement_id"))
    )
    parties = (
        AgreementParty.objects.filter(province__isnull=False, agreement__in=agreements.values("pk"))
        .select_related("province", "agreement")
        .order_by("agreement__signed_on", "agreement_id", "province__code")
    )
    by_agreement: dict[int, list[AgreementParty]] = {}
    for party in parties:
        by_agreement.setdefault(party.agreement_id, []).append(party)
    rows = {province.pk: ProvinceStanding(province, due=on >= due_on) for province in main}
    for found in by_agreement.values():
        agreement = found[0].agreement
        for party in found:
            row = rows.get(party.province_id)
            partners = [p.province for p in found if p.province_id != party.province_id]
            if row is None or not partners:
                continue  # not a main province, or no other province signed it
            signing = Signing(agreement, partners)
            (row.in_time if agreement.signed_on <= due_on else row.late).append(signing)
    return MilestoneStanding(target, on, list(rows.values()))
