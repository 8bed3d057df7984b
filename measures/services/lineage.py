"""Open work passes to the successor: when a plan's changes of member units are loaded, the
predecessors' entries still being written (draft or returned) on periods the successor answers for
move to the successor, with the move in each entry's history. Submitted and accepted entries keep
their unit: they are that unit's word, under the name that was true when it was given."""

from __future__ import annotations

from django.db import transaction

from agencies.services import SyncCounts
from core.choices import EDITABLE_STATES
from core.history import change_record
from measures.choices import ResponsibilityRole
from measures.models import Plan, ProgressEntry
from measures.selectors.lineage import Lineage


@transaction.atomic
def unit_changes_apply(*, plan: Plan, counts: SyncCounts | None = None) -> int:
    """Move the plan's editable entries of predecessors to the unit that answers for them in the
    entry's period; returns how many moved. Idempotent: a moved entry is the successor's, so a second
    run finds nothing. An entry whose successor already has its own entry on the same measure and
    period stays where it is (two entries cannot be one; the Office sees both)."""
    counts = counts if counts is not None else SyncCounts()
    lineage = Lineage.of_plan(plan)
    predecessors = {s.predecessor_id for s in lineage.steps}
    if not predecessors:
        return 0
    entries = list(
        ProgressEntry.objects.select_for_update(of=("self",))
        .filter(measure__plan=plan, unit_id__in=predecessors, state__in=EDITABLE_STATES)
        .select_related("period", "unit")
        .order_by("pk")
    )
    moved = 0
    for entry in entries:
        steps = lineage.chain(entry.unit_id, entry.measure_id, entry.period)
        if not steps:
            continue
        successor_id = steps[-1].successor_id
        taken = ProgressEntry.objects.filter(
            measure_id=entry.measure_id, unit_id=successor_id, period_id=entry.period_id
        ).exists()
        if taken:
            continue
        answer = lineage.answer(successor_id, entry.measure_id, entry.period)
        role = answer.role if answer else entry.role
        old_unit = lineage.unit(entry.unit_id)
        new_unit = lineage.unit(successor_id)
        changes = {"unit": [str(old_unit.name_zh), str(new_unit.name_zh)]}
        fields = ["unit", "version"]
        if role != entry.role:
            changes["role"] = [entry.role, role]
            entry.role = role
            fields.append("role")
            if role == ResponsibilityRole.COOPERATING and entry.status:
                changes["status"] = [entry.status, None]
                entry.status = ""
                fields.append("status")
        entry.unit_id = successor_id
        entry.version += 1  # a form opened before the move is stale
        entry.save(update_fields=fields)
        change_record(
            actor=None,
            obj=entry,
            action="edited",
            changes=changes,
            comment=" / ".join(dict.fromkeys(f"{s.change.on:%Y-%m-%d} {s.change.source_zh}" for s in steps)),
        )
        counts.add(ProgressEntry, "updated")
        moved += 1
    return moved
