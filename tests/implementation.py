"""Builders of implementation plans for the tests: lines as the service takes them, a plan saved
(and submitted, accepted) through the services, and a plan page's form data."""

from decimal import Decimal

from agencies.models import Division
from measures.choices import LineKind
from measures.models import Measure, Plan
from measures.services.implementation import (
    LineInput,
    TargetInput,
    implementation_plan_accept,
    implementation_plan_save,
)


def line(
    ref: str,
    text: str = "开展专项行动",
    *,
    office: str = "刑侦局",
    budget: str | None = None,
    years: dict | None = None,
    local: bool = False,
    divisions: list | None = None,
    title: str = "",
    line_id: int | None = None,
) -> LineInput:
    """A line on measure ``ref`` of the 2008–2012 plan; ``years`` {2009: "目标"}; ``divisions``
    [(2009, "530100", "目标")] (for a local measure)."""
    targets = [TargetInput(year=year, text=target) for year, target in (years or {}).items()]
    targets += [
        TargetInput(year=year, division=Division.objects.get(code=code), text=target)
        for year, code, target in divisions or []
    ]
    return LineInput(
        measure=Measure.objects.get(plan__code="2008-2012", ref=ref),
        text=text,
        office_in_charge=office,
        kind=LineKind.LOCAL_MEASURE if local else LineKind.ACTION,
        title=title,
        budget=Decimal(budget) if budget is not None else None,
        targets=targets,
        line_id=line_id,
    )


def save_plan(actor, lines, *, summary: str = "实施计划", version: int = 0, submit: bool = False, **kwargs):
    return implementation_plan_save(
        actor=actor,
        plan=Plan.objects.get(code="2008-2012"),
        summary=summary,
        lines=lines,
        version=version,
        submit=submit,
        **kwargs,
    )


def accepted_plan(owner, office, lines=None):
    """``owner``'s plan, submitted and accepted by ``office``."""
    record = save_plan(owner, lines or [line("2.1", years={2009: "破案100起"})], submit=True)
    return implementation_plan_accept(actor=office, record_id=record.pk, version=record.version)


def form_data(
    lines: list[dict], targets: list[dict] = (), *, version="", summary="实施计划", **extra
) -> dict:
    """The POST of the plan page: ``lines`` as {field: value} per line (``measure`` a pk), and the
    division targets' rows."""
    data = {
        "version": version,
        "summary": summary,
        "lines-TOTAL_FORMS": str(len(lines)),
        "lines-INITIAL_FORMS": "0",
        "lines-MIN_NUM_FORMS": "0",
        "lines-MAX_NUM_FORMS": "200",
        "targets-TOTAL_FORMS": str(len(targets)),
        "targets-INITIAL_FORMS": "0",
        "targets-MIN_NUM_FORMS": "0",
        "targets-MAX_NUM_FORMS": "200",
        **extra,
    }
    for index, values in enumerate(lines):
        data.update({f"lines-{index}-{name}": value for name, value in values.items()})
    for index, values in enumerate(targets):
        data.update({f"targets-{index}-{name}": value for name, value in values.items()})
    return data
