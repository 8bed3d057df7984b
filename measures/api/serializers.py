from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from measures.models import Area, Measure, Plan, Target


class PlanSerializer(serializers.ModelSerializer):
    class Meta:
        model = Plan
        fields = [
            "code",
            "title_zh",
            "title_en",
            "document_number",
            "issuer_zh",
            "issuer_en",
            "issued_on",
            "in_force_from",
            "start_year",
            "end_year",
        ]


class AreaSerializer(serializers.ModelSerializer):
    plan = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = Area
        fields = ["plan", "seq", "title_zh", "title_en", "objective_zh", "objective_en"]


class MeasureSerializer(serializers.ModelSerializer):
    plan = serializers.SlugRelatedField(slug_field="code", read_only=True)
    area = serializers.IntegerField(source="area.seq", read_only=True)
    parent = serializers.CharField(source="parent.ref", read_only=True, allow_null=True, default=None)
    responsible = serializers.SerializerMethodField()
    cooperating = serializers.SerializerMethodField()

    class Meta:
        model = Measure
        fields = [
            "id",
            "plan",
            "ref",
            "parent",
            "area",
            "seq",
            "text_zh",
            "text_en",
            "units_zh",
            "note_en",
            "responsible",
            "cooperating",
        ]

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_responsible(self, measure) -> list[str]:
        return [unit.code for unit in measure.responsible_units]

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_cooperating(self, measure) -> list[str]:
        return [unit.code for unit in measure.cooperating_units]


class TargetSerializer(serializers.ModelSerializer):
    plan = serializers.SlugRelatedField(slug_field="code", read_only=True)
    area = serializers.IntegerField(source="area.seq", read_only=True)
    measure = serializers.CharField(source="measure.ref", read_only=True, allow_null=True, default=None)

    class Meta:
        model = Target
        fields = [
            "plan",
            "code",
            "area",
            "measure",
            "kind",
            "due_on",
            "text_zh",
            "text_en",
            "indicator",
            "baseline_year",
            "direction",
        ]
