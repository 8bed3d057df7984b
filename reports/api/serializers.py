"""What the reports API reads and writes: quarterly reports with their figures and narratives, the
Office's decisions, reopening requests, baselines, background jobs and requests to compile a report,
and what a level reviewing the reports below it reads and sends."""

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from core.api.serializers import VersionedSerializerMixin, VersionField
from measures.choices import MAX_FIGURE
from measures.models import ReportingPeriod
from measures.selectors import plan_current
from reports.choices import FINISHED_REPORT_STATES, REPORT_KINDS, JobKind
from reports.models import Job, NothingToReport, ProvinceBaseline, QuarterlyReport, ReopenRequest


class ValuesField(serializers.DictField):
    """Figures as ``{"cases_reported": 40}``, from the report's (prefetched) values."""

    def __init__(self, **kwargs):
        child = serializers.IntegerField(min_value=0, max_value=MAX_FIGURE, allow_null=True)
        super().__init__(child=child, **kwargs)

    def get_attribute(self, report):
        return {v.figure.code: v.value for v in report.values.all()}


class NarrativesField(serializers.DictField):
    """Narratives by area number: ``{"1": "...", "3": "..."}``."""

    def __init__(self, **kwargs):
        super().__init__(child=serializers.CharField(allow_blank=True), **kwargs)

    def get_attribute(self, report):
        return {str(n.area.seq): n.text for n in report.narratives.all()}


class PlanLinesField(serializers.ListField):
    """The ids of the lines of the province's implementation plan a report is on (read from the
    report's prefetched lines); only a province's own report names them."""

    def __init__(self, **kwargs):
        child = serializers.IntegerField(min_value=1, max_value=2**62)
        super().__init__(child=child, max_length=200, **kwargs)

    def get_attribute(self, report):
        return [line.pk for line in report.plan_lines.all()]


class QuarterlyReportSerializer(VersionedSerializerMixin, serializers.ModelSerializer):
    province = serializers.CharField(source="province.code", read_only=True)
    division = serializers.CharField(source="division.code", read_only=True)
    level = serializers.CharField(source="division.level", read_only=True)
    period = serializers.CharField(source="period.code")
    values = ValuesField(required=False)
    narratives = NarrativesField(required=False)
    plan_lines = PlanLinesField(required=False)
    is_late = serializers.BooleanField(read_only=True)
    version = VersionField()

    class Meta:
        model = QuarterlyReport
        read_only_fields = [
            "state", "review_comment", "first_submitted_at", "submitted_at", "reviewed_at", "updated_at",
        ]  # fmt: skip
        fields = [
            "id", "province", "division", "level", "period", "values", "narratives", "warnings_comment",
            "plan_lines", "version", "is_late",
            *read_only_fields,
        ]  # fmt: skip


class SubmitSerializer(serializers.Serializer):
    version = VersionField()
    warnings_comment = serializers.CharField(required=False, allow_blank=True)


class ReopenRequestSerializer(serializers.ModelSerializer):
    province = serializers.CharField(source="province.code", read_only=True)
    period = serializers.CharField(source="period.code")

    class Meta:
        model = ReopenRequest
        fields = [
            "id",
            "province",
            "period",
            "reason",
            "state",
            "requested_at",
            "decided_at",
            "decision_comment",
            "open_until",
        ]
        read_only_fields = ["state", "requested_at", "decided_at", "decision_comment", "open_until"]


class ReopenDecisionSerializer(serializers.Serializer):
    comment = serializers.CharField(required=False, allow_blank=True, default="")
    open_until = serializers.DateField(required=False, allow_null=True)


class ProvinceBaselineSerializer(serializers.ModelSerializer):
    province = serializers.CharField(source="province.code", read_only=True)
    ratio = serializers.FloatField(read_only=True)

    class Meta:
        model = ProvinceBaseline
        fields = ["province", "year", "cases_reported", "cases_solved", "ratio"]


class JobSerializer(serializers.ModelSerializer):
    # A job that is not a report (a spreadsheet check), or a national report, has none of these.
    period = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)
    province = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)
    unit = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)
    files = serializers.SerializerMethodField()

    class Meta:
        model = Job
        fields = [
            "id",
            "kind",
            "status",
            "progress",
            "key",
            "period",
            "province",
            "unit",
            "language",
            "params",
            "result",
            "log",
            "attempts",
            "created_at",
            "started_at",
            "finished_at",
            "files",
        ]

    def get_files(self, job) -> dict[str, str]:
        """Download addresses of a finished report's PDF and XLSX."""
        if not (job.is_report and job.status in FINISHED_REPORT_STATES):
            return {}
        request = self.context["request"]
        return {
            fmt: request.build_absolute_uri(reverse("job-file", kwargs={"pk": job.pk, "fmt": fmt}))
            for fmt in ("pdf", "xlsx")
        }


class ReportRequestSerializer(serializers.Serializer):
    """What to compile: the same checks as the web form, each error naming its field."""

    kind = serializers.ChoiceField(choices=[(k, JobKind(k).label) for k in REPORT_KINDS])
    period = serializers.CharField(
        max_length=6, help_text=_("A quarter (2009Q4); a year (2009) for an annual report.")
    )
    language = serializers.ChoiceField(choices=settings.LANGUAGES)
    province = serializers.CharField(
        required=False, allow_blank=True, help_text=_("Province code (Office only).")
    )
    unit = serializers.CharField(
        required=False, allow_blank=True, help_text=_("Member unit code (Office only).")
    )


# --- Indicators (reports/selectors/indicators.py): only accepted reports count unless asked -------


class IndicatorQuerySerializer(serializers.Serializer):
    """The indicators' query: the year, and whether to count the reports not yet accepted."""

    year = serializers.IntegerField(
        required=False, help_text=_("A year of the plan (default: the current one).")
    )
    unconfirmed = serializers.BooleanField(
        required=False,
        default=False,
        help_text=_(
            "Also count the provinces' reports submitted to the IMCS Office and not yet accepted "
            "(marked unconfirmed)."
        ),
    )


class IndicatorFiguresSerializer(serializers.Serializer):
    cases_reported = serializers.IntegerField()
    cases_solved = serializers.IntegerField()
    persons_rescued = serializers.IntegerField()
    persons_assisted = serializers.IntegerField()
    solved_to_reported = serializers.FloatField(allow_null=True)
    assisted_share = serializers.FloatField(allow_null=True)
    unconfirmed = serializers.BooleanField(help_text=_("Holds figures of a report not yet accepted."))


class UnconfirmedReportSerializer(serializers.Serializer):
    province = serializers.CharField()
    period = serializers.CharField()


class UnconfirmedSerializer(serializers.Serializer):
    """The provinces' reports submitted and not yet accepted: left out, or counted when asked."""

    included = serializers.BooleanField(
        help_text=_("Whether these reports are counted (marked unconfirmed).")
    )
    reports = serializers.IntegerField()
    provinces = serializers.IntegerField()
    cases_reported = serializers.IntegerField(help_text=_("Cases reported in these reports."))
    items = UnconfirmedReportSerializer(many=True)


class NationalIndicatorsSerializer(serializers.Serializer):
    quarters = IndicatorFiguresSerializer(many=True)
    year = IndicatorFiguresSerializer()
    baseline = serializers.FloatField(allow_null=True)


class ProvinceIndicatorsSerializer(NationalIndicatorsSerializer):
    province = serializers.CharField()
    name = serializers.CharField()


class IndicatorsSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    counted = serializers.ChoiceField(
        choices=[
            ("accepted", _("Accepted reports only")),
            ("accepted_and_unconfirmed", _("Accepted and unconfirmed reports")),
        ]
    )
    unconfirmed = UnconfirmedSerializer()
    periods = serializers.ListField(child=serializers.CharField())
    national = NationalIndicatorsSerializer(allow_null=True, help_text=_("Null for a province's reporter."))
    provinces = ProvinceIndicatorsSerializer(many=True)


# The level that reviews the reports below it (reports:below).
PERIOD_HELP = _("A quarter of the current plan, such as 2009Q4.")


class PeriodField(serializers.CharField):
    """A quarter's code (``2009Q4``) of the caller's current plan, as a ``ReportingPeriod``."""

    def __init__(self, **kwargs):
        kwargs.setdefault("help_text", PERIOD_HELP)
        super().__init__(**kwargs)

    def to_internal_value(self, data):
        code = super().to_internal_value(data)
        user = self.context["request"].user
        period = (
            ReportingPeriod.objects.filter(plan=plan_current(user)).with_code(code).first()
            if len(code) <= 6
            else None
        )
        if period is None:
            raise serializers.ValidationError(_("Unknown period: use a code such as 2009Q4."))
        return period

    def to_representation(self, value):
        return value.code


class _PersonField(serializers.CharField):
    def to_representation(self, value):
        return str(value)


class BelowReportSerializer(serializers.ModelSerializer):
    state_label = serializers.CharField(read_only=True)
    submitted_by = _PersonField(read_only=True, allow_null=True)
    reviewed_by = _PersonField(read_only=True, allow_null=True)
    is_late = serializers.BooleanField(read_only=True)

    class Meta:
        model = QuarterlyReport
        fields = [
            "id", "state", "state_label", "version", "is_late", "first_submitted_at", "submitted_at",
            "submitted_by", "reviewed_at", "reviewed_by", "review_comment",
        ]  # fmt: skip
        read_only_fields = fields


class NothingToReportSerializer(serializers.ModelSerializer):
    division = serializers.CharField(source="division.code", read_only=True)
    period = serializers.CharField(source="period.code", read_only=True)
    marked_by = _PersonField(read_only=True)

    class Meta:
        model = NothingToReport
        fields = ["id", "division", "period", "reason", "marked_by", "marked_at"]
        read_only_fields = fields


class LockExceptionSerializer(serializers.Serializer):
    division = serializers.CharField(source="division.code", read_only=True)
    period = serializers.CharField(source="period.code", read_only=True)
    open_until = serializers.DateField(read_only=True)
    reason = serializers.CharField(read_only=True)
    granted_by = _PersonField(read_only=True)
    granted_at = serializers.DateTimeField(read_only=True)


class BelowRowSerializer(serializers.Serializer):
    """One division directly below the caller's, for the quarter."""

    division = serializers.CharField(source="division.code", read_only=True)
    name = serializers.CharField(source="division.name", read_only=True)
    level = serializers.CharField(source="division.level", read_only=True)
    report = BelowReportSerializer(read_only=True, allow_null=True)
    changed_since_approval = serializers.IntegerField(
        source="changed",
        read_only=True,
        allow_null=True,
        help_text=_("How many values changed since the last approval (null: never approved)."),
    )
    timeliness = serializers.CharField(read_only=True)
    nothing_to_report = NothingToReportSerializer(source="nothing", read_only=True, allow_null=True)
    lock_exception = LockExceptionSerializer(source="exception", read_only=True, allow_null=True)


class BelowQuerySerializer(serializers.Serializer):
    period = PeriodField()


class ApproveItemSerializer(serializers.Serializer):
    id = serializers.IntegerField(min_value=1, max_value=2**63 - 1)
    version = serializers.IntegerField(min_value=1, max_value=2**31 - 1)


class ApproveSerializer(serializers.Serializer):
    reports = ApproveItemSerializer(many=True, allow_empty=False)
    comment = serializers.CharField(required=False, allow_blank=True, default="", max_length=5000)

    def validate_reports(self, items):
        ids = [item["id"] for item in items]
        if len(ids) != len(set(ids)):
            raise serializers.ValidationError(_("Name each report once."))
        return items


class ApprovedSerializer(serializers.Serializer):
    approved = BelowReportSerializer(many=True, read_only=True)


class DivisionPeriodSerializer(serializers.Serializer):
    period = PeriodField()
    division = serializers.RegexField(
        r"^[0-9]{6}$",
        help_text=_("The 6-digit code of a division directly below yours."),
        error_messages={"invalid": _("Enter the 6-digit code of a division.")},
    )


class NothingMarkSerializer(DivisionPeriodSerializer):
    reason = serializers.CharField(allow_blank=True, max_length=5000)


class ExceptionGrantSerializer(DivisionPeriodSerializer):
    open_until = serializers.DateField()
    reason = serializers.CharField(allow_blank=True, max_length=5000)
