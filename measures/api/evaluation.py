"""API of evaluation rounds, units' self-assessments and the Office's assessments.

A save goes through the same services as the pages: 400 naming the field, 404 for what the caller
may not see, 403 for a role that may see but not write, 409 on a stale version or a closed round.
"""

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, viewsets
from rest_framework.response import Response

from core.api.errors import call_service
from core.api.serializers import VersionField
from core.api.views import RestrictedQuerysetMixin, RestrictedReadOnlyViewSet
from measures import services
from measures.choices import EvaluationRating
from measures.models import EvaluationRound, Measure, OfficeAssessment, SelfAssessment


class EvaluationRoundSerializer(serializers.ModelSerializer):
    plan = serializers.SlugRelatedField(slug_field="code", read_only=True)
    title = serializers.CharField(read_only=True)  # in the request's language (title_zh / title_en)

    class Meta:
        model = EvaluationRound
        fields = [
            "id", "plan", "kind", "title", "title_zh", "title_en", "opens_on", "due_on", "state",
            "opened_at", "closed_at",
        ]  # fmt: skip


class EvaluationRoundViewSet(RestrictedReadOnlyViewSet):
    """Mid-term and final evaluation rounds of each plan (opened and closed by the IMCS Office)."""

    queryset = EvaluationRound.objects.select_related("plan")
    serializer_class = EvaluationRoundSerializer
    filterset_fields = {"plan__code": ["exact"], "kind": ["exact"], "state": ["exact"]}


class SelfAssessmentSerializer(serializers.ModelSerializer):
    round = serializers.PrimaryKeyRelatedField(queryset=EvaluationRound.objects.all())
    measure = serializers.PrimaryKeyRelatedField(queryset=Measure.objects.all())
    measure_ref = serializers.CharField(source="measure.ref", read_only=True)
    unit = serializers.CharField(source="unit.code", read_only=True)
    rating = serializers.ChoiceField(choices=EvaluationRating.choices, allow_blank=True, required=False)
    narrative = serializers.CharField(allow_blank=True, required=False)
    # Create or update: 0 (or none) for a new one; the one last read to change it.
    version = VersionField(required=False, min_value=0, default=0)
    submit = serializers.BooleanField(write_only=True, required=False, default=False)
    evidence_name = serializers.CharField(read_only=True)

    class Meta:
        model = SelfAssessment
        fields = [
            "id", "round", "measure", "measure_ref", "unit", "rating", "narrative", "evidence_name",
            "version", "submit", "updated_at", "submitted_at",
        ]  # fmt: skip
        read_only_fields = ["updated_at", "submitted_at"]


class SelfAssessmentViewSet(
    RestrictedQuerysetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Units' self-assessments: the Office, auditors and administrators see every submitted one, a
    liaison officer their own unit's (drafts too).

    ``POST`` creates or updates the caller's unit's self-assessment of a measure in a round (the
    ``version`` last read, 0 or none for a new one; ``submit: true`` sends it to the Office).
    """

    queryset = SelfAssessment.objects.with_details()
    serializer_class = SelfAssessmentSerializer
    filterset_fields = {"round": ["exact"], "measure__ref": ["exact"], "unit__code": ["exact"]}

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        assessment = call_service(
            services.self_assessment_save,
            actor=request.user,
            round_id=data["round"].pk,
            measure=data["measure"],
            rating=data.get("rating", ""),
            narrative=data.get("narrative", ""),
            version=data["version"],
            submit=data.get("submit", False),
        )
        return Response(self.get_serializer(self.get_queryset().get(pk=assessment.pk)).data, status=201)


class OfficeAssessmentSerializer(serializers.ModelSerializer):
    round = serializers.PrimaryKeyRelatedField(queryset=EvaluationRound.objects.all())
    measure = serializers.PrimaryKeyRelatedField(queryset=Measure.objects.all())
    measure_ref = serializers.CharField(source="measure.ref", read_only=True)
    comment = serializers.CharField(allow_blank=True, required=False, default="")
    version = VersionField(required=False, min_value=0, default=0)  # as for self-assessments

    class Meta:
        model = OfficeAssessment
        fields = ["id", "round", "measure", "measure_ref", "rating", "comment", "version", "updated_at"]
        read_only_fields = ["updated_at"]
        validators = []  # one per round and measure: a second POST updates it (the service decides)


class OfficeAssessmentViewSet(
    RestrictedQuerysetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """The IMCS Office's assessments of measures (seen by the Office, auditors and administrators;
    once a round is closed, by the liaison officers of each measure's responsible units).

    ``POST`` creates or updates the Office's assessment of a measure in an open round.
    """

    queryset = OfficeAssessment.objects.select_related("measure")
    serializer_class = OfficeAssessmentSerializer
    filterset_fields = {"round": ["exact"], "measure__ref": ["exact"]}

    @extend_schema(responses={201: OfficeAssessmentSerializer})
    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        assessment = call_service(
            services.office_assessment_save,
            actor=request.user,
            round_id=data["round"].pk,
            measure=data["measure"],
            rating=data["rating"],
            comment=data.get("comment", ""),
            version=data["version"],
        )
        return Response(self.get_serializer(self.get_queryset().get(pk=assessment.pk)).data, status=201)
