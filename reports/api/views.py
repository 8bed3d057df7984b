"""API of quarterly reports, their workflow, reopening requests, baselines and jobs, and of the
level that reviews the reports below it (``BelowViewSet``: the divisions directly below for a
quarter, approving many at once, "nothing to report" marks, lock exceptions; only a reporter whose
division collects has it, anyone else 404; a refusal is 400 naming the field or 409 with the reason).

Quarterly reports are reviewed records: ``QuarterlyReportViewSet`` is a
``core.api.reviewed.ReviewedRecordViewSet``.
"""

from django.db.models import Prefetch
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from agencies.models import Division
from core import clock
from core.api.errors import Conflict, call_service
from core.api.reviewed import ReviewedRecordViewSet
from core.api.serializers import DecisionSerializer
from core.api.views import RestrictedQuerysetMixin, RestrictedReadOnlyViewSet
from core.permissions import READ_ALL_SUBMITTED, REPORT_QUARTERLY, get_restricted_object, may
from measures.models import ReportingPeriod
from measures.selectors import plan_current
from reports import services
from reports.api.serializers import (
    PERIOD_HELP,
    ApprovedSerializer,
    ApproveSerializer,
    BelowQuerySerializer,
    BelowRowSerializer,
    DivisionPeriodSerializer,
    ExceptionGrantSerializer,
    IndicatorQuerySerializer,
    IndicatorsSerializer,
    JobSerializer,
    LockExceptionSerializer,
    NothingMarkSerializer,
    NothingToReportSerializer,
    ProvinceBaselineSerializer,
    QuarterlyReportSerializer,
    ReopenDecisionSerializer,
    ReopenRequestSerializer,
    ReportRequestSerializer,
    SubmitSerializer,
)
from reports.choices import FINISHED_REPORT_STATES, JobStatus
from reports.models import (
    Job,
    NothingToReport,
    ProvinceBaseline,
    QuarterlyNarrative,
    QuarterlyReport,
    QuarterlyValue,
    ReopenRequest,
)
from reports.selectors.chain import BELOW_PAGE_SIZE, below_rows, collecting_division
from reports.selectors.indicators import IndicatorRow, indicators
from reports.services.chain import lock_exception_grant, nothing_to_report_clear, nothing_to_report_mark
from reports.services.compiled.files import report_file_response
from reports.services.compiled.jobs import report_start
from reports.services.compiled.spec import report_spec
from reports.services.jobs import job_retry
from reports.services.quarterly import quarterly_reports_approve


def _period(user, code: str) -> ReportingPeriod:
    period = ReportingPeriod.objects.filter(plan=plan_current(user)).with_code(code).first()
    if period is None:
        raise ValidationError({"period": [_("Unknown period: use a code such as 2009Q4.")]})
    return period


@extend_schema_view(
    accept=extend_schema(request=DecisionSerializer, responses=QuarterlyReportSerializer),
    return_=extend_schema(request=DecisionSerializer, responses=QuarterlyReportSerializer),
    submit=extend_schema(request=SubmitSerializer, responses=QuarterlyReportSerializer),
)
class QuarterlyReportViewSet(ReviewedRecordViewSet):
    """Quarterly reports of every reporting division. A reporter sees and writes its own
    division's and sees those sent up to it from below; the Office and auditors see all. Writes
    carry the ``version`` last read (409 when stale). ``values`` not sent keep what is saved;
    ``null`` clears one."""

    queryset = QuarterlyReport.objects.with_details().prefetch_related(
        Prefetch("values", queryset=QuarterlyValue.objects.select_related("figure")),
        Prefetch("narratives", queryset=QuarterlyNarrative.objects.select_related("area")),
        "plan_lines",
    )
    serializer_class = QuarterlyReportSerializer
    filterset_fields = {
        "province__code": ["exact"],
        "division__code": ["exact"],
        "division__level": ["exact"],
        "period__year": ["exact"],
        "period__quarter": ["exact"],
        "state": ["exact"],
    }
    decisions = {
        "accept": services.quarterly_report_accept,
        "return": services.quarterly_report_return,
        "reopen": services.quarterly_report_reopen,
    }
    record_id_name = "report_id"
    decision_serializer_class = DecisionSerializer
    submit_serializer_class = SubmitSerializer

    def save_record(self, data, instance=None, submit=False):
        period = (
            instance.period if instance else _period(self.request.user, data.get("period", {}).get("code"))
        )
        try:
            narratives = {int(seq): text for seq, text in (data.get("narratives") or {}).items()}
        except ValueError as exc:
            raise ValidationError(
                {"narratives": [_("Unknown area(s): %s") % ", ".join(map(str, data["narratives"]))]}
            ) from exc
        return call_service(
            services.quarterly_report_save,
            actor=self.request.user,
            period=period,
            values=data.get("values") or {},
            narratives=narratives,
            warnings_comment=data.get("warnings_comment"),
            version=data["version"] if instance else 0,  # creating: there must be none yet
            submit=submit,
            report_id=instance.pk if instance else None,
            plan_line_ids=data.get("plan_lines"),
        )

    def submit_record(self, record, data):
        return self.save_record(data, record, submit=True)

    @extend_schema(request=DecisionSerializer, responses=QuarterlyReportSerializer)
    @action(detail=True, methods=["post"])
    def reopen(self, request, pk=None):
        return self.decide(request, "reopen")


class ReopenRequestViewSet(
    RestrictedQuerysetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):  # fmt: skip
    """A province asks to reopen a locked quarter; the Office grants (until a date) or refuses."""

    queryset = ReopenRequest.objects.select_related("province", "period")
    serializer_class = ReopenRequestSerializer
    filterset_fields = {"state": ["exact"], "province__code": ["exact"]}

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        period = _period(request.user, serializer.validated_data["period"]["code"])
        created = call_service(
            services.reopen_request_create,
            actor=request.user,
            period=period,
            reason=serializer.validated_data["reason"],
        )
        return Response(self.get_serializer(created).data, status=201)

    @extend_schema(request=ReopenDecisionSerializer, responses=ReopenRequestSerializer)
    @action(detail=True, methods=["post"])
    def grant(self, request, pk=None):
        return self._decide(request, grant=True)

    @extend_schema(request=ReopenDecisionSerializer, responses=ReopenRequestSerializer)
    @action(detail=True, methods=["post"])
    def refuse(self, request, pk=None):
        return self._decide(request, grant=False)

    def _decide(self, request, grant: bool):
        reopen = self.get_object()
        body = ReopenDecisionSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        decided = call_service(
            services.reopen_request_decide,
            actor=request.user,
            request_id=reopen.pk,
            grant=grant,
            **body.validated_data,
        )
        return Response(self.get_serializer(decided).data)


class ProvinceBaselineViewSet(RestrictedReadOnlyViewSet):
    """The 2007 baselines of cases reported and solved, per province (entered by the Office)."""

    queryset = ProvinceBaseline.objects.select_related("province")
    serializer_class = ProvinceBaselineSerializer
    filterset_fields = {"province__code": ["exact"]}


class JobViewSet(RestrictedReadOnlyViewSet):
    """Background jobs: the caller's own, and the compiled reports the caller may read.

    ``POST`` compiles a report (201), or answers 200 with the job that already compiles or compiled
    the same report, period, scope and language. Follow ``progress``; download ``files``.
    """

    queryset = Job.objects.select_related("period", "province", "unit")
    serializer_class = JobSerializer
    filterset_fields = {"kind": ["exact"], "status": ["exact"]}

    @extend_schema(request=ReportRequestSerializer, responses={201: JobSerializer, 200: JobSerializer})
    def create(self, request, *args, **kwargs):
        serializer = ReportRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        plan = plan_current(request.user)
        if plan is None:
            raise NotFound
        spec = call_service(report_spec, user=request.user, plan=plan, **serializer.validated_data)
        job, created = report_start(actor=request.user, spec=spec)
        return Response(self.get_serializer(job).data, status=201 if created else 200)

    @extend_schema(request=None, responses=JobSerializer)
    @action(detail=True, methods=["post"])
    def retry(self, request, pk=None):
        """Queue a failed job again (409 unless it failed)."""
        job = get_restricted_object(Job.objects, request.user, "change", pk=pk)
        if job.status != JobStatus.FAILED:
            raise Conflict(_("Only a failed job can be retried."))
        return Response(self.get_serializer(job_retry(job, request.user)).data)

    @extend_schema(responses={(200, "application/octet-stream"): bytes})
    @action(detail=True, methods=["get"], url_path=r"files/(?P<fmt>pdf|xlsx)", url_name="file")
    def file(self, request, pk=None, fmt=None):
        """A finished report's PDF or XLSX."""
        job = get_restricted_object(
            Job.objects.reports(), request.user, pk=pk, status__in=FINISHED_REPORT_STATES
        )
        return report_file_response(job, fmt)


def _indicator_figures(row: IndicatorRow) -> dict:
    return {
        "cases_reported": row.reported,
        "cases_solved": row.solved,
        "persons_rescued": row.rescued,
        "persons_assisted": row.assisted,
        "solved_to_reported": row.ratio,
        "assisted_share": row.assisted_share,
        "unconfirmed": row.unconfirmed,
    }


class IndicatorsView(APIView):
    """The plan's indicators of one year (the indicators page): solved / reported and the share of
    rescued persons assisted, per quarter and for the year, nationally and by province, with the
    2007 baselines. The Office and auditors read every province and the nation; a province's
    reporter its own row.

    Only the reports the IMCS Office accepted count. ``unconfirmed`` says how many reports were
    submitted and not yet accepted, and what they hold: left out, or counted when asked
    (``?unconfirmed=true``), each figure they reach marked ``unconfirmed``; ``counted`` says which.
    """

    @extend_schema(parameters=[IndicatorQuerySerializer], responses=IndicatorsSerializer)
    def get(self, request):
        user = request.user
        national = may(user, READ_ALL_SUBMITTED)
        plan = plan_current(user)
        if plan is None or not (national or may(user, REPORT_QUARTERLY)):
            raise NotFound
        query = IndicatorQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        year = query.validated_data.get("year")
        if year is None:
            current = ReportingPeriod.objects.current(plan, clock.today())
            year = current.year if current else plan.start_year
        if year not in plan.years:
            raise ValidationError(
                {"year": [_("Choose a year of the plan: %(first)s to %(last)s.") % {
                    "first": plan.years[0], "last": plan.years[-1]}]}
            )  # fmt: skip
        included = query.validated_data["unconfirmed"]
        data = indicators(user, plan, year, include_unconfirmed=included)
        code_of = {p.pk: p.code for p in data.periods}
        answer = {
            "year": year,
            "counted": "accepted_and_unconfirmed" if included else "accepted",
            "unconfirmed": {
                **data.unconfirmed.as_data(),
                "items": [
                    {"province": province.code, "period": code_of[period.pk]}
                    for province, quarters in data.unconfirmed_named()
                    for period in quarters
                ],
            },
            "periods": [p.code for p in data.periods],
            "national": {
                "quarters": [_indicator_figures(cell) for cell in data.national_cells()],
                "year": _indicator_figures(data.year_national),
                "baseline": data.baseline_national.ratio,
            }
            if national
            else None,
            "provinces": [
                {
                    "province": province.code,
                    "name": province.name,
                    "quarters": [_indicator_figures(cell) for cell in cells],
                    "year": _indicator_figures(year_row),
                    "baseline": IndicatorRow.from_baselines([baseline]).ratio if baseline else None,
                }
                for province, cells, year_row, baseline in data.rows()
            ],
        }
        return Response(IndicatorsSerializer(answer).data)


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
        if not page.isdigit() or not 1 <= int(page) <= 10_000:
            raise ValidationError({"page": [_("A page is a whole number from 1.")]})
        below = below_rows(request.user, division, query.validated_data["period"], clock.today(), page=page)
        if int(page) > 1 and int(page) > -(-below.total // BELOW_PAGE_SIZE):
            raise NotFound(_("There is no such page."))
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
