"""What a compiled report covers: its kind, the quarter it reports up to, its scope and language.

The web form, the API and the schedule all build a ``ReportSpec`` with ``report_spec()``, which
checks the request against what the user may compile and names the field at fault.

A report is read through the gate like any page, as its reader (``ReportSpec.reader``, the
gate's ``job_reader()``) may see the data.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.functional import lazy
from django.utils.translation import gettext as _

from agencies.models import MemberUnit, Province
from core import clock
from core.permissions import LOG_PROGRESS, REPORT_QUARTERLY, REVIEW, job_reader, may
from measures.choices import EvaluationKind
from measures.models import EvaluationRound, Plan, ReportingPeriod
from reports.choices import EVALUATION_REPORTS, REPORT_KINDS, JobKind
from reports.models.jobs import report_period_label

EVALUATION_KIND_OF = {
    JobKind.MID_TERM_EVALUATION: EvaluationKind.MID_TERM,
    JobKind.FINAL_EVALUATION: EvaluationKind.FINAL,
}
LANGUAGE_CODES = [code for code, _name in settings.LANGUAGES]


@dataclass(frozen=True)
class ReportSpec:
    kind: str
    plan: Plan
    period: ReportingPeriod  # the last quarter the report covers
    language: str
    province: Province | None = None
    unit: MemberUnit | None = None

    @property
    def scope_code(self) -> str:
        if self.province:
            return f"province-{self.province.code}"
        if self.unit:
            return f"unit-{self.unit.code}"
        return "national"

    @property
    def span_code(self) -> str:
        """The quarter, the year, or the plan up to the quarter: what the report is 'of'."""
        if self.kind == JobKind.ANNUAL_REPORT:
            return str(self.period.year)
        return self.period.code

    @property
    def label(self) -> str:
        """What the report is of, as people write it in the active language: 2009年第四季度, 2009年."""
        return report_period_label(self.kind, self.period)

    @property
    def label_in_each_language(self):
        """The label, read in whichever language is active when it is shown (a notification's two)."""
        return lazy(lambda: self.label, str)()

    @property
    def reader(self):
        """Whom the report's content is read for, as the gate sees them: the gate's ``job_reader()``,
        a reader of all submitted work who changes nothing (an auditor, not saved). Every report may
        be read by those who read all submitted work, a province's or unit's also by that province
        or unit: its content is what they all may read, the report's scope narrowing it further.
        Its sections start from ``restrict(spec.reader)``."""
        return job_reader()

    @property
    def key(self) -> str:
        return ":".join((self.kind, self.plan.code, self.span_code, self.scope_code, self.language))

    def job_fields(self) -> dict:
        return {
            "kind": self.kind,
            "key": self.key,
            "period": self.period,
            "province": self.province,
            "unit": self.unit,
            "language": self.language,
            "params": {"language": self.language, "period": self.period.code, "plan": self.plan.code},
        }


def ahead_of_deadline(spec: ReportSpec, today) -> bool:
    """Compiled before the last quarter's deadline: what units and provinces are still sending is
    missing, and nothing is late or missing yet."""
    return spec.period.deadline >= today


def kinds_for(user) -> list[tuple[str, str]]:
    """The kinds of report the user may compile."""
    if may(user, REVIEW):
        kinds = list(REPORT_KINDS)
    elif may(user, REPORT_QUARTERLY) and user.province_id:
        kinds = [JobKind.PROVINCE_REPORT]
    elif may(user, LOG_PROGRESS) and user.unit_id:
        kinds = [JobKind.UNIT_REPORT]
    else:
        kinds = []
    return [(kind, JobKind(kind).label) for kind in kinds]


def report_spec(user, *, plan: Plan, kind: str, period: str, language: str, province=None, unit=None):
    """Check a request to compile a report; a ValidationError names each field at fault.

    ``period`` is a quarter (``2009Q4``) or, for an annual report, a year (``2009``: up to its last
    quarter). A province or unit user compiles their own report: the scope is theirs, whatever is asked.
    """
    errors: dict[str, str] = {}
    allowed = dict(kinds_for(user))
    if kind not in allowed:
        errors["kind"] = _("Choose a kind of report you may compile.")
    if language not in LANGUAGE_CODES:
        errors["language"] = _("Choose Chinese or English.")
    found = _period(plan, kind, str(period or "").strip())
    if found is None:
        errors["period"] = (
            _("Enter a year of the plan, e.g. %(example)s.") % {"example": plan.start_year + 1}
            if kind == JobKind.ANNUAL_REPORT
            else _("Enter a quarter of the plan, e.g. %(example)s.") % {"example": f"{plan.start_year + 1}Q4"}
        )
    if kind == JobKind.PROVINCE_REPORT:
        province = user.province if may(user, REPORT_QUARTERLY) else _lookup(Province, province)
        if province is None:
            errors["province"] = _("Choose the province the report is about.")
    else:
        province = None
    if kind == JobKind.UNIT_REPORT:
        unit = user.unit if may(user, LOG_PROGRESS) else _lookup(MemberUnit, unit)
        if unit is None:
            errors["unit"] = _("Choose the member unit the report is about.")
    else:
        unit = None
    if found is not None and found.ends_on >= clock.today():
        errors["period"] = _("%(period)s has not ended yet.") % {"period": found}
    if kind in EVALUATION_REPORTS and "kind" not in errors:
        if not EvaluationRound.objects.filter(plan=plan, kind=EVALUATION_KIND_OF[kind]).exists():
            errors["kind"] = _("No round of this evaluation has been opened yet.")
    if errors:
        raise ValidationError(errors)
    return ReportSpec(kind, plan, found, language, province=province, unit=unit)


def _period(plan: Plan, kind: str, text: str) -> ReportingPeriod | None:
    periods = ReportingPeriod.objects.filter(plan=plan)
    if kind == JobKind.ANNUAL_REPORT:
        year = text[:4]
        return periods.filter(year=int(year)).order_by("-quarter").first() if year.isdigit() else None
    if kind in EVALUATION_REPORTS and text.isdigit():
        return periods.filter(year=int(text)).order_by("-quarter").first()
    return periods.with_code(text).first()


def _lookup(model, value):
    if isinstance(value, model):
        return value
    if value in (None, ""):
        return None
    found = model.objects.filter(code=str(value)).first()
    if found is None and str(value).isdigit():
        found = model.objects.filter(pk=int(value)).first()
    return found
