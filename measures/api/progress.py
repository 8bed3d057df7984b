"""API of reporting periods, progress entries, their workflow and evidence files."""

from django.http import FileResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response

from core.api.errors import call_service
from core.api.serializers import VersionedSerializerMixin, VersionField
from core.api.views import RestrictedQuerysetMixin, RestrictedReadOnlyViewSet
from measures import services
from measures.choices import MAX_FIGURE, ProgressStatus
from measures.models import EvidenceFile, Measure, ProgressEntry, ReportingPeriod


class ReportingPeriodSerializer(serializers.ModelSerializer):
    plan = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = ReportingPeriod
        fields = ["code", "plan", "year", "quarter", "starts_on", "ends_on", "deadline"]


class ReportingPeriodViewSet(RestrictedReadOnlyViewSet):
    """Quarters of each plan, with the deadline for reports on them."""

    queryset = ReportingPeriod.objects.select_related("plan")
    serializer_class = ReportingPeriodSerializer
    filterset_fields = {"plan__code": ["exact"], "year": ["exact"], "quarter": ["exact"]}


class EvidenceFileSerializer(serializers.ModelSerializer):
    class Meta:
        model = EvidenceFile
        fields = ["id", "original_name", "content_type", "size", "sha256", "uploaded_at"]


class FiguresField(serializers.DictField):
    """Figures as ``{"persons_trained": 120}``, read from the entry's (prefetched) figure rows."""

    def __init__(self, **kwargs):
        child = serializers.IntegerField(min_value=0, max_value=MAX_FIGURE, allow_null=True)
        super().__init__(child=child, **kwargs)

    def get_attribute(self, entry):
        return {f.definition.code: f.value for f in entry.figures.all()}


class ProgressEntrySerializer(VersionedSerializerMixin, serializers.ModelSerializer):
    plan = serializers.CharField(source="measure.plan.code", read_only=True)
    measure = serializers.PrimaryKeyRelatedField(queryset=Measure.objects.all())
    measure_ref = serializers.CharField(source="measure.ref", read_only=True)
    unit = serializers.CharField(source="unit.code", read_only=True)
    period = serializers.CharField(source="period.code")
    status = serializers.ChoiceField(choices=ProgressStatus.choices, allow_blank=True, required=False)
    figures = FiguresField(required=False)
    evidence = EvidenceFileSerializer(many=True, read_only=True)
    is_late = serializers.BooleanField(read_only=True)
    version = VersionField()

    class Meta:
        model = ProgressEntry
        read_only_fields = [
            "role", "state", "review_comment", "first_submitted_at", "submitted_at", "reviewed_at",
            "updated_at",
        ]  # fmt: skip
        fields = [
            "id", "plan", "measure", "measure_ref", "unit", "period", "status", "narrative", "figures",
            "evidence", "version", "is_late", *read_only_fields,
        ]  # fmt: skip


class ReviewSerializer(serializers.Serializer):
    version = VersionField()
    comment = serializers.CharField(required=False, allow_blank=True, default="")


class EvidenceUploadSerializer(serializers.Serializer):
    file = serializers.FileField(
        error_messages={"required": gettext_lazy("Attach the file in the field “file”.")}
    )
    version = VersionField()


class ProgressEntryViewSet(
    RestrictedQuerysetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
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

    def _save(self, serializer, instance=None):
        data = serializer.validated_data
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

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        entry = self._save(serializer)
        return Response(self.get_serializer(self.get_queryset().get(pk=entry.pk)).data, status=201)

    def update(self, request, *args, **kwargs):
        instance = self.get_object()
        serializer = self.get_serializer(instance, data=request.data, partial=kwargs.get("partial", False))
        serializer.is_valid(raise_exception=True)  # the version is required (VersionField)
        self._save(serializer, instance)
        return Response(self.get_serializer(self.get_queryset().get(pk=instance.pk)).data)

    def check_object_permissions(self, request, obj):
        # Writes are checked by the services inside their transaction (403 or 409 with the reason).
        pass

    @extend_schema(request=ReviewSerializer, responses=ProgressEntrySerializer)
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        entry = self.get_object()
        review = ReviewSerializer(data=request.data)
        review.is_valid(raise_exception=True)
        call_service(
            services.progress_entry_submit,
            actor=request.user,
            entry_id=entry.pk,
            version=review.validated_data["version"],
        )
        return Response(self.get_serializer(self.get_queryset().get(pk=entry.pk)).data)

    @extend_schema(request=ReviewSerializer, responses=ProgressEntrySerializer)
    @action(detail=True, methods=["post"])
    def accept(self, request, pk=None):
        return self._review(request, services.progress_entry_accept)

    @extend_schema(request=ReviewSerializer, responses=ProgressEntrySerializer)
    @action(detail=True, methods=["post"], url_path="return")
    def return_(self, request, pk=None):
        return self._review(request, services.progress_entry_return)

    def _review(self, request, service):
        entry = self.get_object()
        review = ReviewSerializer(data=request.data)
        review.is_valid(raise_exception=True)
        call_service(service, actor=request.user, entry_id=entry.pk, **review.validated_data)
        return Response(self.get_serializer(self.get_queryset().get(pk=entry.pk)).data)

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
        return Response(self.get_serializer(self.get_queryset().get(pk=entry.pk)).data, status=201)


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
