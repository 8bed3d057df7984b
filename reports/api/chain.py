"""API of the level that reviews the reports below it: the divisions directly below for a quarter
(the same rows as the page ``reports:below``), approving many reports at once (all or none), the
"nothing to report" mark and the lock exception.

Only a reporter whose division collects from the level below has these (anyone else: 404, as for
a division that is not directly below the caller's). A refusal is 400 naming the field, or 409 with
the reason (a stale version, a report in another state); nothing is saved then.
"""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.response import Response

from agencies.models import Division
from core import clock
from core.api.errors import call_service
from measures.models import ReportingPeriod
from measures.selectors import plan_current
from reports.models import NothingToReport, QuarterlyReport
from reports.selectors.chain import BELOW_PAGE_SIZE, below_rows, collecting_division
from reports.services.chain import lock_exception_grant, nothing_to_report_clear, nothing_to_report_mark
from reports.services.quarterly import quarterly_reports_approve

PERIOD_HELP = gettext_lazy("A quarter of the current plan, such as 2009Q4.")


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
        help_text=gettext_lazy("How many values changed since the last approval (null: never approved)."),
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
        help_text=gettext_lazy("The 6-digit code of a division directly below yours."),
        error_messages={"invalid": gettext_lazy("Enter the 6-digit code of a division.")},
    )


class NothingMarkSerializer(DivisionPeriodSerializer):
    reason = serializers.CharField(allow_blank=True, max_length=5000)


class ExceptionGrantSerializer(DivisionPeriodSerializer):
    open_until = serializers.DateField()
    reason = serializers.CharField(allow_blank=True, max_length=5000)


class BelowViewSet(viewsets.ViewSet):
    """The divisions directly below the caller's (a province or prefecture that collects from the
    level below): their reports for a quarter, approving many at once, marking one as having
    nothing to report, granting a lock exception. Anyone else: 404."""

    lookup_value_regex = "[0-9]{6}"

    def _division(self) -> Division:
        division = collecting_division(self.request.user)
        if division is None:
            raise NotFound
        return division

    def _child(self, mine: Division, code: str) -> Division:
        child = Division.objects.filter(code=code, parent=mine).first()
        if child is None:
            raise NotFound
        return child

    @extend_schema(
        parameters=[
            OpenApiParameter("period", str, required=True, description=str(PERIOD_HELP)),
            OpenApiParameter("page", int, required=False, description="1, 2, ... (50 rows a page)"),
        ],
        responses=BelowRowSerializer(many=True),
    )
    def list(self, request):
        """The divisions directly below for the quarter, by code; pages of up to 50 (``?page=``)."""
        division = self._division()
        query = BelowQuerySerializer(data=request.query_params, context={"request": request})
        query.is_valid(raise_exception=True)
        page = request.query_params.get("page", "1")
        below = below_rows(request.user, division, query.validated_data["period"], clock.today(), page=page)
        data = BelowRowSerializer(below.rows, many=True).data
        headers = {"X-Total-Count": str(below.total), "X-Page-Size": str(BELOW_PAGE_SIZE)}
        return Response(data, headers=headers)

    @extend_schema(request=ApproveSerializer, responses=ApprovedSerializer)
    @action(detail=False, methods=["post"])
    def approve(self, request):
        """Approve the reports named (each with the version read): all or none. 409 with the
        reason when one is stale or not waiting for approval."""
        self._division()
        body = ApproveSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        versions = {item["id"]: item["version"] for item in body.validated_data["reports"]}
        approved = call_service(  # a refusal (a stale version too) names the report: 409
            quarterly_reports_approve,
            actor=request.user,
            versions=versions,
            comment=body.validated_data["comment"],
        )
        approved = QuarterlyReport.objects.filter(pk__in=[r.pk for r in approved]).select_related(
            "submitted_by", "reviewed_by", "period"
        )
        return Response(ApprovedSerializer({"approved": list(approved)}).data)

    @extend_schema(request=NothingMarkSerializer, responses={201: NothingToReportSerializer})
    @action(detail=False, methods=["post"])
    def nothing(self, request):
        """Mark a division directly below as having nothing to report for the quarter (a reason is
        needed)."""
        mine = self._division()
        body = NothingMarkSerializer(data=request.data, context={"request": request})
        body.is_valid(raise_exception=True)
        child = self._child(mine, body.validated_data["division"])
        mark = call_service(
            nothing_to_report_mark,
            actor=request.user,
            division_id=child.pk,
            period=body.validated_data["period"],
            reason=body.validated_data["reason"],
        )
        return Response(NothingToReportSerializer(mark).data, status=201)

    @extend_schema(request=DivisionPeriodSerializer, responses={204: None})
    @action(detail=False, methods=["post"], url_path="nothing/clear", url_name="nothing-clear")
    def nothing_clear(self, request):
        """Take back a division's "nothing to report" mark for the quarter (404 if there is none)."""
        mine = self._division()
        body = DivisionPeriodSerializer(data=request.data, context={"request": request})
        body.is_valid(raise_exception=True)
        child = self._child(mine, body.validated_data["division"])
        mark = (
            NothingToReport.objects.restrict(request.user, "change")
            .filter(division=child, period=body.validated_data["period"])
            .first()
        )
        if mark is None:
            raise NotFound
        call_service(nothing_to_report_clear, actor=request.user, mark_id=mark.pk)
        return Response(status=204)

    @extend_schema(request=ExceptionGrantSerializer, responses={201: LockExceptionSerializer})
    @action(detail=False, methods=["post"])
    def exception(self, request):
        """Let a division directly below submit the locked quarter until a date (from today on)."""
        mine = self._division()
        body = ExceptionGrantSerializer(data=request.data, context={"request": request})
        body.is_valid(raise_exception=True)
        child = self._child(mine, body.validated_data["division"])
        granted = call_service(
            lock_exception_grant,
            actor=request.user,
            division_id=child.pk,
            period=body.validated_data["period"],
            open_until=body.validated_data["open_until"],
            reason=body.validated_data["reason"],
        )
        return Response(LockExceptionSerializer(granted).data, status=201)
