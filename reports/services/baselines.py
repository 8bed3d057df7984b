"""The Office's 2007 baselines of cases reported and solved, per province."""

from django.core.exceptions import PermissionDenied
from django.db import transaction

from core import clock
from core.history import change_record, field_changes
from core.permissions import REVIEW, may
from measures.models import Plan, Target
from reports.models import ProvinceBaseline


def baseline_year(plan: Plan) -> int:
    """The plan's baseline year for the solved / reported ratio (2007 for 2008–2012)."""
    target = (
        Target.objects.filter(plan=plan, indicator="solved_to_reported_ratio")
        .exclude(baseline_year=None)
        .first()
    )
    return target.baseline_year if target else plan.start_year - 1


@transaction.atomic
def baseline_set(
    *, actor, plan: Plan, province, cases_reported: int | None, cases_solved: int | None
) -> None:
    """Set (or, with both numbers empty, remove) a province's baseline; changes are kept in the history."""
    if not may(actor, REVIEW):
        raise PermissionDenied
    existing = ProvinceBaseline.objects.filter(plan=plan, province=province).first()
    before = (
        {"cases_reported": existing.cases_reported, "cases_solved": existing.cases_solved} if existing else {}
    )
    if cases_reported is None:
        if existing:
            change_record(actor=actor, obj=existing, action="edited", changes=field_changes(before, {}))
            existing.delete()
        return
    after = {"cases_reported": cases_reported, "cases_solved": cases_solved}
    changes = field_changes(before, after)
    if not changes:
        return
    baseline, created = ProvinceBaseline.objects.update_or_create(
        plan=plan,
        province=province,
        defaults={**after, "year": baseline_year(plan), "updated_at": clock.now(), "updated_by": actor},
    )
    change_record(actor=actor, obj=baseline, action="created" if created else "edited", changes=changes)
