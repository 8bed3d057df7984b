"""Which unit answers for a responsibility in a reporting period, when member units change while a
plan runs (the March 2008 restructuring: 人事部 and 劳动保障部 became 人力资源社会保障部).

The one rule, used wherever progress is asked for or logged:

- A responsibility of unit U on measure M passes along the changes **stated by M's own plan**
  (``UnitChange.plan``): a later plan's changes never touch an earlier plan's measures.
- A change in force from day D answers for every period that **ends on or after D**: the period
  during which a unit is renamed is reported by the new unit (2008 Q1, ending 2008-03-31, is
  人力资源社会保障部's, though the change came on 2008-03-15); a period that ended before D stays
  with the old unit.
- Changes are followed through chains (A → B, then B → C from a later date), each step in force
  on the period's last day and not earlier than the step before it. A rename or merger passes
  every measure; a split passes to each successor only the measures it lists (a measure listed
  for none stays with the predecessor).
- Where two responsibilities on one measure pass to the same unit (人事部 cooperating and
  劳动保障部 responsible, both now 人力资源社会保障部), the unit answers once, in the stronger role
  (responsible before cooperating, then its own responsibility, then the plan's order).

Records keep the unit that made them (``ProgressEntry.unit``), so their names are right by
construction; where the unit answering differs from the unit the plan named, pages name both:
``formerly(successor, predecessor)`` → "人力资源社会保障部（原劳动保障部）".

``Lineage.of_plan(plan)`` costs three queries (changes, split measures, responsibilities) when the
plan's structure changed since they were last read, and none otherwise (they are kept), the
unit names one more when first asked for; everything after is in memory.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from agencies.models import MemberUnit
from core import clock, statistics_cache
from measures.choices import ResponsibilityRole, UnitChangeKind
from measures.models import Plan, PlanMembership, ReportingPeriod, Responsibility, UnitChange


@dataclass(frozen=True)
class Step:
    predecessor_id: int
    successor_id: int
    on: dt.date
    kind: str
    measure_ids: frozenset[int]
    change: UnitChange

    def covers(self, measure_id: int) -> bool:
        return self.kind != UnitChangeKind.SPLIT or measure_id in self.measure_ids


@dataclass(frozen=True)
class Answer:
    """A unit answering for a measure in a period: in which role, for which responsibility (whose
    unit is the plan's; ``former_id`` is that unit where it is not the answering one)."""

    measure_id: int
    role: str
    responsibility: Responsibility
    unit_id: int

    @property
    def former_id(self) -> int | None:
        return None if self.responsibility.unit_id == self.unit_id else self.responsibility.unit_id


def _strength(answer_unit_id: int, r: Responsibility) -> tuple:
    return (r.role != ResponsibilityRole.RESPONSIBLE, r.unit_id != answer_unit_id, r.seq, r.pk)


def _stronger(answer_unit_id: int, r: Responsibility, than: Responsibility | None) -> bool:
    """Whether ``r`` is the one ``answer_unit_id`` answers through, rather than ``than``."""
    return than is None or _strength(answer_unit_id, r) < _strength(answer_unit_id, than)


def day_of(period_or_day) -> dt.date:
    """The day a period is answered on: its last day (a change from that day or earlier applies)."""
    return period_or_day.ends_on if isinstance(period_or_day, ReportingPeriod) else period_or_day


def plan_today(plan: Plan) -> dt.date:
    """The day the plan's pages without a period speak of: today, within the plan's years."""
    return min(max(clock.today(), dt.date(plan.start_year, 1, 1)), dt.date(plan.end_year, 12, 31))


def plan_steps(plan: Plan | int) -> list[Step]:
    """The changes stated by the plan, as steps: read once per change of the plan's structure and
    kept (``core.statistics_cache.PLAN``; one query, two when one is a split)."""
    plan_id = getattr(plan, "pk", plan)
    return statistics_cache.cached(
        f"steps:{plan_id}", lambda: _read_steps(plan_id), domain=statistics_cache.PLAN
    )


def _read_steps(plan_id: int) -> list[Step]:
    changes = list(
        UnitChange.objects.filter(plan_id=plan_id)
        .select_related("predecessor", "successor")
        .order_by("on", "pk")
    )
    splits = [c.pk for c in changes if c.kind == UnitChangeKind.SPLIT]
    taken: dict[int, set[int]] = {}
    if splits:
        through = UnitChange.measures.through.objects.filter(unitchange_id__in=splits)
        for change_id, measure_id in through.values_list("unitchange_id", "measure_id"):
            taken.setdefault(change_id, set()).add(measure_id)
    return [
        Step(c.predecessor_id, c.successor_id, c.on, c.kind, frozenset(taken.get(c.pk, ())), c)
        for c in changes
    ]


def plan_responsibilities(plan: Plan | int) -> list[Responsibility]:
    """Every responsibility of the plan, in its order: read once per change of the plan's
    structure and kept, as ``plan_steps``."""
    plan_id = getattr(plan, "pk", plan)

    def read() -> list[Responsibility]:
        return list(Responsibility.objects.filter(measure__plan_id=plan_id))

    return statistics_cache.cached(f"responsibilities:{plan_id}", read, domain=statistics_cache.PLAN)


@dataclass
class Lineage:
    plan: Plan | int
    steps: list[Step]
    responsibilities: list[Responsibility]
    _out: dict[int, list[Step]] = field(default_factory=dict)
    _units: dict[int, MemberUnit] | None = None
    _answers: dict = field(default_factory=dict)  # answers(day) by day: asked once per entry listed
    _by_measure: dict[int, list[Responsibility]] = field(default_factory=dict)

    def __post_init__(self):
        for step in sorted(self.steps, key=lambda s: s.on):
            self._out.setdefault(step.predecessor_id, []).append(step)
        for r in self.responsibilities:
            self._by_measure.setdefault(r.measure_id, []).append(r)

    @classmethod
    def of_plan(cls, plan: Plan | int, *, unit_ids=None, steps: list[Step] | None = None) -> Lineage:
        """The plan's changes and responsibilities (all, or those of the units in ``unit_ids`` and
        of the units that pass to them: enough to answer for those units). Three queries, none
        while the plan's structure is as it was (``plan_steps``, ``plan_responsibilities``)."""
        steps = plan_steps(plan) if steps is None else steps
        responsibilities = plan_responsibilities(plan)
        if unit_ids is not None:
            related = set(unit_ids)
            grew = True
            while grew:  # the units from which a chain leads to one of ``unit_ids``
                before = len(related)
                related |= {s.predecessor_id for s in steps if s.successor_id in related}
                grew = len(related) > before
            responsibilities = [r for r in responsibilities if r.unit_id in related]
        return cls(plan=plan, steps=steps, responsibilities=responsibilities)

    # The rule -------------------------------------------------------------------------------
    def chain(self, unit_id: int, measure_id: int, day) -> list[Step]:
        """The steps by which ``unit_id``'s responsibility on ``measure_id`` passes by ``day``."""
        day = day_of(day)
        steps: list[Step] = []
        current, since, seen = unit_id, None, {unit_id}
        while True:
            step = next(
                (
                    s
                    for s in self._out.get(current, [])
                    if s.on <= day and (since is None or s.on >= since) and s.covers(measure_id)
                ),
                None,
            )
            if step is None or step.successor_id in seen:
                return steps
            steps.append(step)
            current, since = step.successor_id, step.on
            seen.add(current)

    def answering(self, unit_id: int, measure_id: int, day) -> int:
        """The unit that answers, on ``day`` (or in a period), for ``unit_id``'s responsibility."""
        steps = self.chain(unit_id, measure_id, day)
        return steps[-1].successor_id if steps else unit_id

    def answers(self, day) -> dict[tuple[int, int], Answer]:
        """``{(unit_id, measure_id): Answer}`` for every unit answering for a measure on ``day``
        (worked out once per day; the lineage holds the rows it was read with)."""
        day = day_of(day)
        if day in self._answers:
            return self._answers[day]
        result: dict[tuple[int, int], Answer] = self._answers.setdefault(day, {})
        for r in self.responsibilities:
            unit_id = self.answering(r.unit_id, r.measure_id, day)
            key = (unit_id, r.measure_id)
            if _stronger(unit_id, r, result[key].responsibility if key in result else None):
                result[key] = Answer(r.measure_id, r.role, r, unit_id)
        return result

    def answered_by(self, unit_id: int, day) -> dict[int, Answer]:
        """The measures ``unit_id`` answers for on ``day`` (its own responsibilities and those of its
        predecessors after the change), by measure id."""
        return {m: a for (u, m), a in self.answers(day).items() if u == unit_id}

    def answer(self, unit_id: int, measure_id: int, day) -> Answer | None:
        """How ``unit_id`` answers for ``measure_id`` on ``day``; None if it does not. As
        ``answers(day)`` has it, worked out from the measure's own responsibilities only (a list of
        entries over many quarters asks for a few measures on each day, not for the whole plan)."""
        day = day_of(day)
        if day in self._answers:
            return self._answers[day].get((unit_id, measure_id))
        best = None
        for r in self._by_measure.get(measure_id, ()):
            if self.answering(r.unit_id, measure_id, day) == unit_id and _stronger(unit_id, r, best):
                best = r
        return Answer(measure_id, best.role, best, unit_id) if best is not None else None

    def answers_for_measure(self, measure_id: int, day) -> list[Answer]:
        """The units answering for one measure on ``day``: responsible first, in the plan's order."""
        found = [a for (_u, m), a in self.answers(day).items() if m == measure_id]
        return sorted(found, key=lambda a: (a.role != ResponsibilityRole.RESPONSIBLE, a.responsibility.seq))

    def predecessors(self, unit_id: int) -> set[int]:
        """Every unit whose responsibilities can pass to ``unit_id`` (itself not included)."""
        found: set[int] = set()
        frontier = {unit_id}
        while frontier:
            frontier = (
                {s.predecessor_id for s in self.steps if s.successor_id in frontier} - found - {unit_id}
            )
            found |= frontier
        return found

    def passed_on(self, unit_id: int, measure_id: int, day) -> Step | None:
        """The first change by which ``unit_id`` no longer answers for the measure by ``day``."""
        steps = self.chain(unit_id, measure_id, day)
        return steps[0] if steps else None

    def successors_of(self, unit_id: int) -> list[Step]:
        return list(self._out.get(unit_id, []))

    # Names ------------------------------------------------------------------------------------
    def unit(self, unit_id: int) -> MemberUnit:
        """The unit, from the rows already read where they hold it (else one query for all units)."""
        if self._units is None:
            self._units = {}
            for step in self.steps:
                self._units[step.predecessor_id] = step.change.predecessor
                self._units[step.successor_id] = step.change.successor
            for r in self.responsibilities:
                if Responsibility.unit.is_cached(r):
                    self._units[r.unit_id] = r.unit
        if unit_id not in self._units:
            self._units.update(MemberUnit.objects.in_bulk())
        return self._units[unit_id]

    def name(self, unit_id: int, former_id: int | None = None) -> str:
        return formerly(self.unit(unit_id), self.unit(former_id) if former_id else None)


def formerly(unit, former=None) -> str:
    """The unit's name, with the name of the unit it answers for where that differs:
    人力资源社会保障部（原劳动保障部）, Ministry of Human Resources and Social Security (formerly
    Ministry of Labour and Social Security)."""
    if unit is None:
        return ""
    if former is None or getattr(former, "pk", former) == unit.pk:
        return str(unit.name)
    return _("%(unit)s (formerly %(former)s)") % {"unit": unit.name, "former": former.name}


def with_former(entries) -> list:
    """Set ``entry.former_unit`` on each progress entry: the unit the plan named for the
    responsibility the entry's unit answers for, where that is another unit (a 2009 entry of
    人力资源社会保障部 on a measure of 劳动保障部); None where the entry's unit is the plan's own.
    At most three queries per plan among the entries (none while its structure is unchanged)."""
    entries = list(entries)
    by_plan: dict[int, list] = {}
    for entry in entries:
        entry.former_unit = None
        by_plan.setdefault(entry.measure.plan_id, []).append(entry)
    for plan_id, group in by_plan.items():
        steps = plan_steps(plan_id)
        if not steps:
            continue
        lineage = Lineage.of_plan(plan_id, unit_ids={e.unit_id for e in group}, steps=steps)
        for entry in group:
            answer = lineage.answer(entry.unit_id, entry.measure_id, entry.period)
            if answer is not None and answer.former_id:
                entry.former_unit = lineage.unit(answer.former_id)
    return entries


def mark_answering(measures, plan: Plan, day=None) -> list:
    """Set ``unit.answering`` on the units of each measure's prefetched responsibilities (see
    ``selectors.plan.measures_with_units``): the unit answering for that responsibility on ``day``
    (the plan's pages: today, within the plan's years) where it is another unit, else None. Two
    queries (none more when the plan states no change)."""
    measures = list(measures)
    steps = plan_steps(plan)
    if not steps:
        return measures
    lineage = Lineage(plan=plan, steps=steps, responsibilities=[])
    day = day or plan_today(plan)
    for measure in measures:
        for r in measure.responsibilities.all():
            successor_id = lineage.answering(r.unit_id, r.measure_id, day)
            r.unit.answering = lineage.unit(successor_id) if successor_id != r.unit_id else None
    return measures


def units_writing_plans(plan: Plan, day: dt.date | None = None) -> list[int]:
    """The member units that write an implementation plan of ``plan`` on ``day`` (the plan's
    today), in the plan's order: its members, each replaced in its place by its successor from the
    day a rename or merge gave the successor its work (the units merged into one leave one place);
    a unit split keeps its place, and those that took measures from it come after it. Two queries
    (three when a change is a split)."""
    day = plan_today(plan) if day is None else day
    members = PlanMembership.objects.filter(plan=plan, is_member=True).order_by("seq")
    units = list(members.values_list("unit_id", flat=True))
    for step in plan_steps(plan):
        if step.on > day or step.predecessor_id not in units:
            continue
        at = units.index(step.predecessor_id)
        if step.kind == UnitChangeKind.SPLIT:
            if step.successor_id not in units:
                units.insert(at + 1, step.successor_id)
        elif step.successor_id in units:
            units.pop(at)
        else:
            units[at] = step.successor_id
    return units
