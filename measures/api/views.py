"""API of the measures app: the plan (plans, areas, measures, targets), reporting periods, progress
entries with their workflow and evidence files, evaluation rounds and their assessments.

A write goes through the same services as the pages: 400 naming the field, 404 for what the caller
may not see, 403 for a role that may see but not write, 409 on a stale version or a closed round.
Progress entries are reviewed records: ``ProgressEntryViewSet`` is a
``core.api.reviewed.ReviewedRecordViewSet``.
"""

from django.http import FileResponse
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response

from core.api.errors import call_service
from core.api.reviewed import ReviewedRecordViewSet
from core.api.views import RestrictedQuerysetMixin, RestrictedReadOnlyViewSet
from measures import services
from measures.api.serializers import (
    AreaSerializer,
    EvaluationRoundSerializer,
    EvidenceFileSerializer,
    EvidenceUploadSerializer,
    MeasureSerializer,
    OfficeAssessmentSerializer,
    PlanSerializer,
    ProgressEntrySerializer,
    ReportingPeriodSerializer,
    ReviewSerializer,
    SelfAssessmentSerializer,
    TargetSerializer,
)
from measures.filtersets import MeasureFilterSet
from measures.models import (
    Area,
    EvaluationRound,
    EvidenceFile,
    Measure,
    OfficeAssessment,
    Plan,
    ProgressEntry,
    ReportingPeriod,
    SelfAssessment,
    Target,
)
from measures.selectors import measures_with_units


class PlanViewSet(RestrictedReadOnlyViewSet):
    """Plans of action (one row each: 2008–2012, and later plans loaded the same way)."""

    queryset = Plan.objects.all()
    serializer_class = PlanSerializer
    lookup_field = "code"


class AreaViewSet(RestrictedReadOnlyViewSet):
    """Areas of action of each plan, with their work objectives."""

    queryset = Area.objects.select_related("plan")
    serializer_class = AreaSerializer
    filterset_fields = {"plan__code": ["exact"], "seq": ["exact"]}


class MeasureViewSet(RestrictedReadOnlyViewSet):
    """Measures and dash sub-measures with their responsible and cooperating units (unit codes).

    The reference is area.measure for a measure (2.1) and area.measure.letter for a dash item under
    it (2.1.a); the plan writes them 2.(1) and 2.(1)-a.
    """

    queryset = measures_with_units(Measure.objects.select_related("plan"))
    serializer_class = MeasureSerializer
    filterset_class = MeasureFilterSet

    def get_queryset(self):
        # A unit filter joins responsibilities: keep each measure once.
        return super().get_queryset().distinct()


class TargetViewSet(RestrictedReadOnlyViewSet):
    """Dated milestones and indicators the plan states."""

    queryset = Target.objects.select_related("plan", "area", "measure")
    serializer_class = TargetSerializer
    filterset_fields = {"plan__code": ["exact"], "kind": ["exact"], "indicator": ["exact"]}


class ReportingPeriodViewSet(RestrictedReadOnlyViewSet):
    """Quarters of each plan, with the deadline for reports on them."""

    queryset = ReportingPeriod.objects.select_related("plan")
    serializer_class = ReportingPeriodSerializer
    filterset_fields = {"plan__code": ["exact"], "year": ["exact"], "quarter": ["exact"]}


@extend_schema_view(
    accept=extend_schema(request=ReviewSerializer, responses=ProgressEntrySerializer),
    return_=extend_schema(request=ReviewSerializer, responses=ProgressEntrySerializer),
    submit=extend_schema(request=ReviewSerializer, responses=ProgressEntrySerializer),
)
class ProgressEntryViewSet(ReviewedRecordViewSet):
    """Progress entries: a unit's report on one measure for one period.

    Lists hold only what the caller may see: a liaison officer its own unit's entries and the
    submitted entries of other units on the same measures; the Office and auditors every submitted
    entry. Writes carry the ``version`` last read; a stale one is refused with 409.
    """

    queryset = ProgressEntry.objects.with_details().prefetch_related("figures__definition", "evidence")
    serializer_class = ProgressEntrySerializer
    parser_classes = [JSONParser, MultiPartParser, FormParser]
    filterset_fields = {
        "period__year": ["exact"],
        "period__quarter": ["exact"],
        "unit__code": ["exact"],
        "measure__ref": ["exact"],
        "state": ["exact"],
        "role": ["exact"],
    }
    decisions = {"accept": services.progress_entry_accept, "return": services.progress_entry_return}
    record_id_name = "entry_id"
    decision_serializer_class = ReviewSerializer
    submit_serializer_class = ReviewSerializer  # its comment is not used

    def save_record(self, data, instance=None):
        measure = data.get("measure") or instance.measure
        measure = Measure.objects.restrict(self.request.user).filter(pk=measure.pk).first()
        period_code = data.get("period", {}).get("code") if "period" in data else instance.period.code
        period = ReportingPeriod.objects.filter(plan_id=measure.plan_id).with_code(period_code).first()
        if period is None:
            raise ValidationError({"period": [_("Unknown period: use a code such as 2009Q4.")]})
        figures = data.get("figures", {} if instance is None else None)
        if figures is None:
            figures = {f.definition.code: f.value for f in instance.figures.all()}
        return call_service(
            services.progress_entry_save,
            actor=self.request.user,
            measure=measure,
            period=period,
            status=data.get("status", instance.status if instance else ""),
            narrative=data.get("narrative", instance.narrative if instance else ""),
            figures=figures,
            version=data["version"] if instance else 0,  # creating: there must be none yet
            entry_id=instance.pk if instance else None,
        )

    def submit_record(self, record, data):
        return call_service(
            services.progress_entry_submit,
            actor=self.request.user,
            entry_id=record.pk,
            version=data["version"],
        )

    @extend_schema(
        request={"multipart/form-data": EvidenceUploadSerializer}, responses=ProgressEntrySerializer
    )
    @action(detail=True, methods=["post"], parser_classes=[MultiPartParser])
    def evidence(self, request, pk=None):
        """Attach an evidence file (multipart field ``file``) to an entry the caller may edit."""
        entry = self.get_object()
        body = EvidenceUploadSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        call_service(
            services.progress_entry_save,
            actor=request.user,
            measure=entry.measure,
            period=entry.period,
            status=entry.status,
            narrative=entry.narrative,
            figures={},
            version=body.validated_data["version"],
            new_files=[body.validated_data["file"]],
            entry_id=entry.pk,
        )
        return self.record_response(entry, status=201)


class EvidenceFileViewSet(RestrictedReadOnlyViewSet):
    """Evidence files of the entries the caller may see; ``download`` gives the file itself."""

    queryset = EvidenceFile.objects.all()
    serializer_class = EvidenceFileSerializer

    @extend_schema(responses={(200, "application/octet-stream"): bytes})
    @action(detail=True, methods=["get"])
    def download(self, request, pk=None):
        evidence = self.get_object()
        return FileResponse(
            evidence.file.open("rb"),
            as_attachment=True,
            filename=evidence.original_name,
            content_type=evidence.content_type,
        )


class EvaluationRoundViewSet(RestrictedReadOnlyViewSet):
    """Mid-term and final evaluation rounds of each plan (opened and closed by the IMCS Office)."""

    queryset = EvaluationRound.objects.select_related("plan")
    serializer_class = EvaluationRoundSerializer
    filterset_fields = {"plan__code": ["exact"], "kind": ["exact"], "state": ["exact"]}


class AssessmentViewSet(
    RestrictedQuerysetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """The assessments of a round: ``POST`` creates or updates one through ``save_assessment(data)``
    (the service, called with ``call_service``) and answers the assessment as the caller sees it."""

    def save_assessment(self, data: dict):
        raise NotImplementedError

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        assessment = self.save_assessment(serializer.validated_data)
        return Response(self.get_serializer(self.get_queryset().get(pk=assessment.pk)).data, status=201)


class SelfAssessmentViewSet(AssessmentViewSet):
    """Units' self-assessments: the Office, auditors and administrators see every submitted one, a
    liaison officer their own unit's (drafts too).

    ``POST`` creates or updates the caller's unit's self-assessment of a measure in a round (the
    ``version`` last read, 0 or none for a new one; ``submit: true`` sends it to the Office).
    """

    queryset = SelfAssessment.objects.with_details()
    serializer_class = SelfAssessmentSerializer
    filterset_fields = {"round": ["exact"], "measure__ref": ["exact"], "unit__code": ["exact"]}

    def save_assessment(self, data):
        return call_service(
            services.self_assessment_save,
            actor=self.request.user,
            round_id=data["round"].pk,
            measure=data["measure"],
            rating=data.get("rating", ""),
            narrative=data.get("narrative", ""),
            version=data["version"],
            submit=data.get("submit", False),
        )


class OfficeAssessmentViewSet(AssessmentViewSet):
    """The IMCS Office's assessments of measures (seen by the Office, auditors and administrators;
    once a round is closed, by the liaison officers of each measure's responsible units).

    ``POST`` creates or updates the Office's assessment of a measure in an open round.
    """

    queryset = OfficeAssessment.objects.select_related("measure")
    serializer_class = OfficeAssessmentSerializer
    filterset_fields = {"round": ["exact"], "measure__ref": ["exact"]}

    def save_assessment(self, data):
        return call_service(
            services.office_assessment_save,
            actor=self.request.user,
            round_id=data["round"].pk,
            measure=data["measure"],
            rating=data["rating"],
            comment=data.get("comment", ""),
            version=data["version"],
        )
