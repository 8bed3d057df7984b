"""Writes of the plan: loading a plan of action from its data file, with its reporting periods, its
membership and the changes of its member units (``unit_changes``, see the comment in
data/plans/2008-2012.yaml for the format)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import yaml
from django.conf import settings
from django.db import transaction

from agencies.models import MemberUnit
from agencies.services import DataFileError, SyncCounts, required_value, row_sync, units_sync
from measures.choices import (
    ClauseKind,
    FigureGroup,
    ResponsibilityRole,
    RuleImportance,
    TargetKind,
    UnitChangeKind,
)
from measures.expressions import OPERATORS, codes
from measures.models import (
    Area,
    FigureDefinition,
    Measure,
    Plan,
    PlanClause,
    PlanMembership,
    QuarterlyFigure,
    QuarterlyRule,
    ReportingPeriod,
    Responsibility,
    Target,
    UnitChange,
)
from measures.services.lineage import unit_changes_apply

PLAN_FIELDS = (
    "title_zh",
    "title_en",
    "document_number",
    "issuer_zh",
    "issuer_en",
    "issued_on",
    "in_force_from",
    "start_year",
    "end_year",
)
PLAN_TEXTS = ("preamble", "guiding_principles", "overall_goal")
CLAUSE_LISTS = {
    "strategic_measures": ClauseKind.STRATEGIC_MEASURE,
    "imcs_functions": ClauseKind.IMCS_FUNCTION,
    "safeguards": ClauseKind.SAFEGUARD,
    "implementation_clauses": ClauseKind.IMPLEMENTATION,
}


def read_data_file(path: Path) -> dict:
    try:
        data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise DataFileError(f"{path}: {exc}") from exc
    if not isinstance(data, dict):
        raise DataFileError(f"{path}: expected a mapping at the top level")
    return data


def _date(value, where: str) -> dt.date | None:
    if value in (None, ""):
        return None
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError as exc:
        raise DataFileError(f"{where}: '{value}' is not a date (YYYY-MM-DD)") from exc


def _flatten_measures(data: dict) -> list[tuple[dict, dict, dict | None]]:
    """(area, measure, parent) for every measure and sub-measure, in the plan's order."""
    rows = []
    for area in data.get("areas") or []:
        for measure in area.get("measures") or []:
            rows.append((area, measure, None))
            for sub in measure.get("sub_measures") or []:
                rows.append((area, sub, measure))
    return rows


def plan_validate(data: dict) -> None:
    """Check a whole plan file before anything is written; the error names the entry at fault."""
    plan = data.get("plan")
    if not isinstance(plan, dict):
        raise DataFileError("plan: missing")
    for name in ("code", *PLAN_FIELDS):
        required_value(plan, name, "plan")
    _date(plan["issued_on"], "plan.issued_on")
    _date(plan["in_force_from"], "plan.in_force_from")
    if int(plan["end_year"]) < int(plan["start_year"]):
        raise DataFileError("plan: end_year is before start_year")
    units = data.get("units")
    if not isinstance(units, list) or not units:
        raise DataFileError("units: missing or empty list")
    unit_codes = {str(u.get("code")) for u in units}
    areas = data.get("areas")
    if not isinstance(areas, list) or not areas:
        raise DataFileError("areas: missing or empty list")
    area_seqs = set()
    for i, area in enumerate(areas, 1):
        seq = required_value(area, "seq", f"areas[{i}]")
        if seq in area_seqs:
            raise DataFileError(f"areas[{i}]: duplicate area number {seq}")
        area_seqs.add(seq)
        for name in ("title_zh", "title_en", "objective_zh", "objective_en"):
            required_value(area, name, f"area {seq}")
    refs: set[str] = set()
    for area, entry, parent in _flatten_measures(data):
        ref = str(required_value(entry, "ref", f"area {area['seq']}: a measure"))
        if ref in refs:
            raise DataFileError(f"measure {ref}: duplicate reference")
        refs.add(ref)
        expected_prefix = f"{area['seq']}." if parent is None else f"{parent['ref']}."
        if not ref.startswith(expected_prefix):
            raise DataFileError(f"measure {ref}: reference does not start with '{expected_prefix}'")
        required_value(entry, "text_zh", f"measure {ref}")
        required_value(entry, "text_en", f"measure {ref}")
        seen_units: set[str] = set()
        for key in ("responsible", "cooperating"):
            for code in entry.get(key) or []:
                if code not in unit_codes:
                    raise DataFileError(f"measure {ref}: unknown unit '{code}' in {key}")
                if code in seen_units:
                    raise DataFileError(f"measure {ref}: unit '{code}' is listed twice")
                seen_units.add(code)
        if entry.get("cooperating") and not entry.get("responsible"):
            raise DataFileError(f"measure {ref}: cooperating units without a responsible unit")
    codes = set()
    for i, target in enumerate(data.get("targets") or [], 1):
        code = required_value(target, "code", f"targets[{i}]")
        if code in codes:
            raise DataFileError(f"target {code}: duplicate code")
        codes.add(code)
        if target.get("area") not in area_seqs:
            raise DataFileError(f"target {code}: unknown area {target.get('area')}")
        if target.get("measure") and str(target["measure"]) not in refs:
            raise DataFileError(f"target {code}: unknown measure '{target['measure']}'")
        if target.get("kind") not in TargetKind.values:
            raise DataFileError(f"target {code}: unknown kind '{target.get('kind')}'")
        _date(target.get("due_on"), f"target {code}.due_on")
        required_value(target, "text_zh", f"target {code}")
        required_value(target, "text_en", f"target {code}")
    figure_codes = set()
    for i, figure in enumerate(data.get("figures") or [], 1):
        code = required_value(figure, "code", f"figures[{i}]")
        if code in figure_codes:
            raise DataFileError(f"figure {code}: duplicate code")
        figure_codes.add(code)
        required_value(figure, "name_zh", f"figure {code}")
        required_value(figure, "name_en", f"figure {code}")
        for ref in figure.get("measures") or []:
            if str(ref) not in refs:
                raise DataFileError(f"figure {code}: unknown measure '{ref}'")
    _validate_quarterly(data.get("quarterly_report") or {})
    for key in CLAUSE_LISTS:
        seqs = set()
        for i, clause in enumerate(data.get(key) or [], 1):
            seq = required_value(clause, "seq", f"{key}[{i}]")
            if seq in seqs:
                raise DataFileError(f"{key}[{i}]: duplicate number {seq}")
            seqs.add(seq)
            required_value(clause, "text_zh", f"{key} {seq}")
            required_value(clause, "text_en", f"{key} {seq}")


def memberships_sync(*, plan: Plan, units: dict, entries: list[dict], counts: SyncCounts) -> None:
    """The plan's membership as its file lists it: order, lead, and names as the plan wrote them."""
    leads = [e["code"] for e in entries if e.get("is_lead")]
    if len(leads) > 1:
        raise DataFileError(f"units: more than one lead unit ({', '.join(leads)})")
    for entry in entries:
        row_sync(
            PlanMembership,
            {"plan": plan, "unit": units[entry["code"]]},
            {
                "seq": int(entry.get("seq", 0)),
                "name_zh": entry["name_zh"],
                "name_en": entry["name_en"],
                "is_member": bool(entry.get("is_member", True)),
                "is_lead": bool(entry.get("is_lead", False)),
            },
            counts,
        )
    # Row by row (and only when there is one), so that an unchanged file writes nothing.
    _delete_missing(PlanMembership.objects.filter(plan=plan).exclude(unit__code__in=list(units)), counts)


def _unit_change_where(i: int, entry: dict) -> str:
    """How an error names a change: its place in the list and what it says, as far as it says it."""
    to = entry.get("to")
    if isinstance(to, list):
        to = ", ".join(str(t.get("unit")) if isinstance(t, dict) else str(t) for t in to)
    frm = entry.get("from")
    frm = ", ".join(map(str, frm)) if isinstance(frm, list) else frm
    return f"unit_changes[{i}] ({entry.get('date')} {entry.get('kind')} {frm} → {to})"


def unit_changes_validate(data: dict) -> list[dict]:
    """Check the file's ``successor_units`` and ``unit_changes`` before anything is written; returns
    one step per predecessor → successor: ``{kind, on, predecessor, successor, measures, source_zh,
    source_en}``. A change may name units of this file or units already loaded by another plan."""
    own_units = [str(u.get("code")) for u in data.get("units") or []]
    successors = data.get("successor_units") or []
    if not isinstance(successors, list):
        raise DataFileError("successor_units: expected a list")
    seen: set[str] = set()
    for i, entry in enumerate(successors, 1):
        code = str(required_value(entry, "code", f"successor_units[{i}]"))
        if code in own_units:
            raise DataFileError(f"successor_units[{i}] ({code}): already a unit of the plan's membership")
        if code in seen:
            raise DataFileError(f"successor_units[{i}]: duplicate unit code '{code}'")
        seen.add(code)
        required_value(entry, "name_zh", f"successor_units[{i}] ({code})")
        required_value(entry, "name_en", f"successor_units[{i}] ({code})")
    changes = data.get("unit_changes") or []
    if not isinstance(changes, list):
        raise DataFileError("unit_changes: expected a list")
    file_codes = set(own_units) | {str(u.get("code")) for u in successors}
    named = set()
    for entry in changes:
        if isinstance(entry, dict):
            named.update(map(str, entry.get("from") or []) if isinstance(entry.get("from"), list) else [])
            to = entry.get("to")
            for t in to if isinstance(to, list) else [to]:
                named.add(str(t.get("unit")) if isinstance(t, dict) else str(t))
    known = file_codes | set(
        MemberUnit.objects.filter(code__in=named - file_codes).values_list("code", flat=True)
    )
    unit_measures: dict[str, set[str]] = {}
    for _area, measure, _parent in _flatten_measures(data):
        for code in [*(measure.get("responsible") or []), *(measure.get("cooperating") or [])]:
            unit_measures.setdefault(code, set()).add(str(measure["ref"]))
    steps: list[dict] = []
    for i, entry in enumerate(changes, 1):
        if not isinstance(entry, dict):
            raise DataFileError(
                f"unit_changes[{i}]: expected a mapping (date, kind, from, to, source_zh, source_en)"
            )
        where = _unit_change_where(i, entry)
        kind = entry.get("kind")
        if kind not in UnitChangeKind.values:
            raise DataFileError(f"{where}: unknown kind '{kind}' (rename, merge or split)")
        on = _date(required_value(entry, "date", where), f"{where}: date")
        source_zh = required_value(entry, "source_zh", where)
        source_en = required_value(entry, "source_en", where)
        predecessors = entry.get("from")
        if not isinstance(predecessors, list) or not predecessors:
            raise DataFileError(f"{where}: 'from' must be a list of one or more unit codes")
        if kind != UnitChangeKind.MERGE and len(predecessors) != 1:
            raise DataFileError(f"{where}: a {kind} has exactly one unit in 'from'")
        to = entry.get("to")
        if kind == UnitChangeKind.SPLIT:
            if not isinstance(to, list) or not to or not all(isinstance(t, dict) for t in to):
                raise DataFileError(f"{where}: a split's 'to' is a list of {{unit, measures}}")
            targets = [(str(t.get("unit")), t.get("measures")) for t in to]
        else:
            if not isinstance(to, str) or not to:
                raise DataFileError(f"{where}: 'to' must be one unit code")
            targets = [(to, None)]
        for code in [*map(str, predecessors), *(code for code, _m in targets)]:
            if code not in known:
                raise DataFileError(f"{where}: unknown unit '{code}'")
        taken: dict[str, str] = {}
        for predecessor in map(str, predecessors):
            for successor, refs in targets:
                if successor == predecessor:
                    raise DataFileError(f"{where}: '{predecessor}' cannot change into itself")
                if kind == UnitChangeKind.SPLIT:
                    if not isinstance(refs, list) or not refs:
                        raise DataFileError(
                            f"{where}: successor '{successor}' lists no measures (a split names the "
                            "measures each successor takes over)"
                        )
                    for ref in map(str, refs):
                        if ref not in unit_measures.get(predecessor, set()):
                            raise DataFileError(
                                f"{where}: measure '{ref}' is not one of {predecessor}'s measures"
                            )
                        if ref in taken:
                            raise DataFileError(
                                f"{where}: measure '{ref}' is taken over by both {taken[ref]} and {successor}"
                            )
                        taken[ref] = successor
                pair = (predecessor, successor)
                if any((s["predecessor"], s["successor"]) == pair for s in steps):
                    raise DataFileError(f"{where}: {predecessor} → {successor} is stated twice")
                if any((s["predecessor"], s["successor"]) == pair[::-1] for s in steps):
                    raise DataFileError(
                        f"{where}: {successor} → {predecessor} is stated too: a change goes one way"
                    )
                steps.append(
                    {
                        "kind": kind,
                        "on": on,
                        "predecessor": predecessor,
                        "successor": successor,
                        "measures": [str(r) for r in refs] if refs else [],
                        "source_zh": str(source_zh).strip(),
                        "source_en": str(source_en).strip(),
                    }
                )
    return steps


def unit_changes_sync(
    *, plan: Plan, steps: list[dict], measures: dict[str, Measure], counts: SyncCounts
) -> None:
    """The plan's changes of member units as its file states them (one row per step)."""
    codes = {s["predecessor"] for s in steps} | {s["successor"] for s in steps}
    units = {u.code: u for u in MemberUnit.objects.filter(code__in=codes)}
    existing = set(UnitChange.objects.filter(plan=plan).values_list("predecessor__code", "successor__code"))
    kept = []
    for step in steps:
        change = row_sync(
            UnitChange,
            {"plan": plan, "predecessor": units[step["predecessor"]], "successor": units[step["successor"]]},
            {key: step[key] for key in ("kind", "on", "source_zh", "source_en")},
            counts,
        )
        wanted = {measures[ref].pk for ref in step["measures"]}
        if set(change.measures.values_list("pk", flat=True)) != wanted:
            change.measures.set(wanted)
            if (step["predecessor"], step["successor"]) in existing:  # a new row's are part of "created"
                counts.add(UnitChange, "updated")
        kept.append(change.pk)
    _delete_missing(UnitChange.objects.filter(plan=plan).exclude(pk__in=kept), counts)


@transaction.atomic
def plan_load(*, data: dict, counts: SyncCounts | None = None) -> Plan:
    """Load or update one plan from its data file, all or nothing; an unchanged row is not written.

    Rows of this plan that the file no longer holds (a measure, a responsibility, a target) are
    deleted, so the database always says what the file says.
    """
    counts = counts if counts is not None else SyncCounts()
    plan_validate(data)
    steps = unit_changes_validate(data)
    units = units_sync(units=data["units"], counts=counts)
    # Units the changes create: loaded with their national agency, not members as the plan wrote it.
    units_sync(units=data.get("successor_units") or [], counts=counts)
    p = data["plan"]
    values = {name: p[name] for name in PLAN_FIELDS}
    values["issued_on"] = _date(p["issued_on"], "plan.issued_on")
    values["in_force_from"] = _date(p["in_force_from"], "plan.in_force_from")
    values["start_year"], values["end_year"] = int(p["start_year"]), int(p["end_year"])
    for name in PLAN_TEXTS:
        for lang in ("zh", "en"):
            values[f"{name}_{lang}"] = (p.get(f"{name}_{lang}") or "").strip()
    plan = row_sync(Plan, {"code": str(p["code"])}, values, counts)
    memberships_sync(plan=plan, units=units, entries=data["units"], counts=counts)

    areas = {}
    for area in data["areas"]:
        areas[area["seq"]] = row_sync(
            Area,
            {"plan": plan, "seq": int(area["seq"])},
            {name: area[name].strip() for name in ("title_zh", "title_en", "objective_zh", "objective_en")},
            counts,
        )
    _delete_missing(Area.objects.filter(plan=plan).exclude(seq__in=list(areas)), counts)

    measures: dict[str, Measure] = {}
    kept_responsibilities = []
    for seq, (area, entry, parent) in enumerate(_flatten_measures(data), 1):
        ref = str(entry["ref"])
        measure = row_sync(
            Measure,
            {"plan": plan, "ref": ref},
            {
                "area": areas[area["seq"]],
                "parent": measures[str(parent["ref"])] if parent else None,
                "seq": seq,
                "text_zh": entry["text_zh"].strip(),
                "text_en": entry["text_en"].strip(),
                "units_zh": (entry.get("units_zh") or "").strip(),
                "note_en": (entry.get("note_en") or "").strip(),
            },
            counts,
        )
        measures[ref] = measure
        for role, key in (
            (ResponsibilityRole.RESPONSIBLE, "responsible"),
            (ResponsibilityRole.COOPERATING, "cooperating"),
        ):
            for order, code in enumerate(entry.get(key) or [], 1):
                resp = row_sync(
                    Responsibility,
                    {"measure": measure, "unit": units[code]},
                    {"role": role, "seq": order},
                    counts,
                )
                kept_responsibilities.append(resp.pk)
    _delete_missing(
        Responsibility.objects.filter(measure__plan=plan).exclude(pk__in=kept_responsibilities), counts
    )
    _delete_missing(Measure.objects.filter(plan=plan).exclude(ref__in=list(measures)), counts)

    target_codes = []
    for target in data.get("targets") or []:
        row_sync(
            Target,
            {"plan": plan, "code": target["code"]},
            {
                "area": areas[target["area"]],
                "measure": measures[str(target["measure"])] if target.get("measure") else None,
                "kind": target["kind"],
                "due_on": _date(target.get("due_on"), target["code"]),
                "text_zh": target["text_zh"].strip(),
                "text_en": target["text_en"].strip(),
                "indicator": target.get("indicator") or "",
                "baseline_year": target.get("baseline_year"),
                "direction": target.get("direction") or "",
            },
            counts,
        )
        target_codes.append(target["code"])
    _delete_missing(Target.objects.filter(plan=plan).exclude(code__in=target_codes), counts)

    kept_clauses = []
    for key, kind in CLAUSE_LISTS.items():
        for clause in data.get(key) or []:
            row = row_sync(
                PlanClause,
                {"plan": plan, "kind": kind, "seq": int(clause["seq"])},
                {
                    "key": clause.get("key") or "",
                    "text_zh": clause["text_zh"].strip(),
                    "text_en": clause["text_en"].strip(),
                },
                counts,
            )
            kept_clauses.append(row.pk)
    _delete_missing(PlanClause.objects.filter(plan=plan).exclude(pk__in=kept_clauses), counts)

    figure_codes = []
    existing_figures = set(FigureDefinition.objects.filter(plan=plan).values_list("code", flat=True))
    for seq, figure in enumerate(data.get("figures") or [], 1):
        definition = row_sync(
            FigureDefinition,
            {"plan": plan, "code": figure["code"]},
            {"seq": seq, "name_zh": figure["name_zh"].strip(), "name_en": figure["name_en"].strip()},
            counts,
        )
        wanted = {measures[str(ref)].pk for ref in figure.get("measures") or []}
        if set(definition.measures.values_list("pk", flat=True)) != wanted:
            definition.measures.set(wanted)
            if figure["code"] in existing_figures:  # a new row's measures are part of "created"
                counts.add(FigureDefinition, "updated")
        figure_codes.append(figure["code"])
    _delete_missing(FigureDefinition.objects.filter(plan=plan).exclude(code__in=figure_codes), counts)
    _load_quarterly(plan, data.get("quarterly_report") or {}, counts)
    periods_sync(plan=plan, counts=counts)
    unit_changes_sync(plan=plan, steps=steps, measures=measures, counts=counts)
    unit_changes_apply(plan=plan, counts=counts)
    return plan


def _validate_quarterly(section: dict) -> None:
    known: set[str] = set()
    for i, figure in enumerate(section.get("figures") or [], 1):
        code = required_value(figure, "code", f"quarterly_report.figures[{i}]")
        if code in known:
            raise DataFileError(f"quarterly figure {code}: duplicate code")
        if figure.get("group") not in FigureGroup.values:
            raise DataFileError(f"quarterly figure {code}: unknown group '{figure.get('group')}'")
        required_value(figure, "name_zh", f"quarterly figure {code}")
        required_value(figure, "name_en", f"quarterly figure {code}")
        known.add(code)
    rule_codes: set[str] = set()
    for i, rule in enumerate(section.get("rules") or [], 1):
        code = required_value(rule, "code", f"quarterly_report.rules[{i}]")
        if code in rule_codes:
            raise DataFileError(f"quarterly rule {code}: duplicate code")
        rule_codes.add(code)
        if rule.get("operator") not in OPERATORS:
            raise DataFileError(f"quarterly rule {code}: unknown operator '{rule.get('operator')}'")
        if rule.get("importance") not in RuleImportance.values:
            raise DataFileError(f"quarterly rule {code}: importance must be error or warning")
        for side in ("left", "right"):
            try:
                unknown = codes(required_value(rule, side, f"quarterly rule {code}")) - known
            except ValueError as exc:
                raise DataFileError(f"quarterly rule {code}: {exc}") from exc
            if unknown:
                raise DataFileError(f"quarterly rule {code}: unknown figure(s) {', '.join(sorted(unknown))}")
        required_value(rule, "message_zh", f"quarterly rule {code}")
        required_value(rule, "message_en", f"quarterly rule {code}")


def _load_quarterly(plan: Plan, section: dict, counts: SyncCounts) -> None:
    figure_codes, rule_codes = [], []
    for seq, figure in enumerate(section.get("figures") or [], 1):
        row_sync(
            QuarterlyFigure,
            {"plan": plan, "code": figure["code"]},
            {
                "seq": seq,
                "group": figure["group"],
                "name_zh": figure["name_zh"],
                "name_en": figure["name_en"],
            },
            counts,
        )
        figure_codes.append(figure["code"])
    for seq, rule in enumerate(section.get("rules") or [], 1):
        row_sync(
            QuarterlyRule,
            {"plan": plan, "code": rule["code"]},
            {
                "seq": seq,
                **{key: str(rule[key]).strip() for key in ("left", "operator", "right", "importance")},
                "message_zh": rule["message_zh"].strip(),
                "message_en": rule["message_en"].strip(),
            },
            counts,
        )
        rule_codes.append(rule["code"])
    _delete_missing(QuarterlyRule.objects.filter(plan=plan).exclude(code__in=rule_codes), counts)
    _delete_missing(QuarterlyFigure.objects.filter(plan=plan).exclude(code__in=figure_codes), counts)


def quarter_bounds(year: int, quarter: int) -> tuple[dt.date, dt.date]:
    start = dt.date(year, 3 * quarter - 2, 1)
    end = dt.date(year + (quarter == 4), (3 * quarter) % 12 + 1, 1) - dt.timedelta(days=1)
    return start, end


def periods_sync(*, plan: Plan, counts: SyncCounts) -> None:
    """One reporting period per quarter of the plan's years; deadlines set once, then the Office's."""
    wanted = []
    for year in plan.years:
        for quarter in range(1, 5):
            starts_on, ends_on = quarter_bounds(year, quarter)
            period = row_sync(
                ReportingPeriod,
                {"plan": plan, "year": year, "quarter": quarter},
                {"starts_on": starts_on, "ends_on": ends_on},
                counts,
                on_create={"deadline": ends_on + dt.timedelta(days=settings.REPORTING_DEADLINE_DAYS)},
            )
            wanted.append(period.pk)
    _delete_missing(ReportingPeriod.objects.filter(plan=plan).exclude(pk__in=wanted), counts)


def _delete_missing(queryset, counts: SyncCounts) -> None:
    for obj in queryset:
        obj.delete()
        counts.add(type(obj), "deleted")
