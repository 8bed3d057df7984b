from rest_framework import serializers

from measures.choices import MAX_FIGURE
from reports.models import Job, ProvinceBaseline, QuarterlyReport, ReopenRequest


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


class QuarterlyReportSerializer(serializers.ModelSerializer):
    province = serializers.CharField(source="province.code", read_only=True)
    period = serializers.CharField(source="period.code")
    values = ValuesField(required=False)
    narratives = NarrativesField(required=False)
    is_late = serializers.BooleanField(read_only=True)
    version = serializers.IntegerField(required=False, allow_null=True)

    class Meta:
        model = QuarterlyReport
        read_only_fields = [
            "state", "review_comment", "first_submitted_at", "submitted_at", "reviewed_at", "updated_at",
        ]  # fmt: skip
        fields = [
            "id", "province", "period", "values", "narratives", "warnings_comment", "version", "is_late",
            *read_only_fields,
        ]  # fmt: skip


class DecisionSerializer(serializers.Serializer):
    version = serializers.IntegerField()
    comment = serializers.CharField(required=False, allow_blank=True, default="")


class SubmitSerializer(serializers.Serializer):
    version = serializers.IntegerField()
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
    class Meta:
        model = Job
        fields = [
            "id",
            "kind",
            "status",
            "progress",
            "params",
            "result",
            "created_at",
            "started_at",
            "finished_at",
        ]
