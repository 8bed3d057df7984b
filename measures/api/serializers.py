"""What the measures API reads and writes: the plan (plans, areas, measures, targets), reporting
periods, progress entries with their figures and evidence, and evaluation rounds with their
assessments."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from core.api.serializers import DecisionSerializer, VersionedSerializerMixin, VersionField
from core.choices import ReviewState
from measures.choices import (
    MAX_AMOUNT_DIGITS,
    MAX_FIGURE,
    DonorKind,
    EvaluationRating,
    ForeignPartyKind,
    FundingChannel,
    LineKind,
    ProgressStatus,
)
from measures.models import (
    Area,
    CooperationAgreement,
    EvaluationRound,
    EvidenceFile,
    FundingLine,
    GoodPractice,
    ImplementationPlan,
    Measure,
    OfficeAssessment,
    Plan,
    PracticeAttachment,
    ProgressEntry,
    ReportingPeriod,
    SelfAssessment,
    Target,
)
from measures.services.funding import amount_from_text


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


class ReportingPeriodSerializer(serializers.ModelSerializer):
    plan = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = ReportingPeriod
        fields = ["code", "plan", "year", "quarter", "starts_on", "ends_on", "deadline"]


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
    plan_line = serializers.IntegerField(
        source="plan_line_id", required=False, allow_null=True, min_value=1, max_value=2**62,
        help_text=gettext_lazy("A line of the unit's implementation plan on this measure (its id), or null."),
    )  # fmt: skip
    version = VersionField()

    class Meta:
        model = ProgressEntry
        read_only_fields = [
            "role", "state", "review_comment", "first_submitted_at", "submitted_at", "reviewed_at",
            "updated_at",
        ]  # fmt: skip
        fields = [
            "id", "plan", "measure", "measure_ref", "unit", "period", "status", "narrative", "figures",
            "evidence", "plan_line", "version", "is_late", *read_only_fields,
        ]  # fmt: skip


# The decision body of core, under the schema's component name of progress entries ("Review").
class ReviewSerializer(DecisionSerializer):
    pass


class EvidenceUploadSerializer(serializers.Serializer):
    file = serializers.FileField(
        error_messages={"required": gettext_lazy("Attach the file in the field “file”.")}
    )
    version = VersionField()


class EvaluationRoundSerializer(serializers.ModelSerializer):
    plan = serializers.SlugRelatedField(slug_field="code", read_only=True)
    title = serializers.CharField(read_only=True)  # in the request's language (title_zh / title_en)

    class Meta:
        model = EvaluationRound
        fields = [
            "id", "plan", "kind", "title", "title_zh", "title_en", "opens_on", "due_on", "state",
            "opened_at", "closed_at",
        ]  # fmt: skip


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


class CodeField(serializers.CharField):
    """A related row written and read by its code (a measure's ``ref``, a division's ``code``)."""

    def __init__(self, *, attribute: str, **kwargs):
        self.attribute = attribute
        super().__init__(**kwargs)

    def to_representation(self, value):
        return getattr(value, self.attribute)


class ImplementationTargetSerializer(serializers.Serializer):
    year = serializers.IntegerField(min_value=1900, max_value=2100)
    division = CodeField(
        attribute="code", max_length=6, required=False, allow_null=True, default=None,
        help_text=gettext_lazy("A division below the province (GB/T 2260 code), for a local measure."),
    )  # fmt: skip
    text = serializers.CharField(max_length=500)
    quantity = serializers.IntegerField(min_value=0, max_value=2_147_483_647, required=False, allow_null=True)


class ImplementationLineSerializer(serializers.Serializer):
    id = serializers.IntegerField(
        required=False, allow_null=True, min_value=1, max_value=2**62,
        help_text=gettext_lazy("A saved line of this plan (kept, with its reports); none for a new line."),
    )  # fmt: skip
    measure = CodeField(attribute="ref", max_length=12, help_text=gettext_lazy("A measure's reference: 2.1"))
    measure_label = serializers.CharField(source="measure.label", read_only=True)
    kind = serializers.ChoiceField(choices=LineKind.choices, default=LineKind.ACTION)
    title = serializers.CharField(max_length=200, allow_blank=True, required=False, default="")
    text = serializers.CharField(max_length=5000)
    office_in_charge = serializers.CharField(max_length=200)
    budget = serializers.DecimalField(
        max_digits=MAX_AMOUNT_DIGITS, decimal_places=2, min_value=0, required=False, allow_null=True
    )
    targets = ImplementationTargetSerializer(many=True, required=False, max_length=100)


class ImplementationPlanSerializer(VersionedSerializerMixin, serializers.ModelSerializer):
    plan = serializers.SlugRelatedField(slug_field="code", queryset=Plan.objects.all())
    unit = serializers.CharField(source="unit.code", read_only=True, allow_null=True, default=None)
    province = serializers.CharField(source="province.code", read_only=True, allow_null=True, default=None)
    summary = serializers.CharField(max_length=20_000, allow_blank=True, required=False, default="")
    lines = ImplementationLineSerializer(many=True, required=False, max_length=200)
    version = VersionField()

    class Meta:
        model = ImplementationPlan
        read_only_fields = [
            "state", "review_comment", "document_name", "first_submitted_at", "submitted_at", "reviewed_at",
            "updated_at",
        ]  # fmt: skip
        fields = ["id", "plan", "unit", "province", "summary", "lines", "version", *read_only_fields]


class OwnerWithoutPlanSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=[("unit", "unit"), ("province", "province")])
    code = serializers.CharField()
    name = serializers.CharField()


class AgreementPartySerializer(serializers.Serializer):
    province = CodeField(
        attribute="code", max_length=6, required=False, allow_null=True, default=None,
        help_text=gettext_lazy("A province's GB/T 2260 code; none for a party abroad."),
    )  # fmt: skip
    province_name = serializers.CharField(
        source="province.name", read_only=True, allow_null=True, default=None
    )
    foreign_kind = serializers.ChoiceField(
        choices=ForeignPartyKind.choices, required=False, allow_blank=True, default=""
    )
    foreign_name_zh = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    foreign_name_en = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")


class MeasureIdsField(serializers.ListField):
    """The ids of the measures an agreement serves (read in one query by the view, not one by one)."""

    child = serializers.IntegerField(min_value=1, max_value=2**62)

    def to_representation(self, data):
        return [measure.pk for measure in data.all()]


class CooperationAgreementSerializer(VersionedSerializerMixin, serializers.ModelSerializer):
    parties = AgreementPartySerializer(many=True, max_length=40)
    measures = MeasureIdsField(required=False, max_length=60)
    measure_labels = serializers.SlugRelatedField(
        source="measures", slug_field="label", many=True, read_only=True
    )
    title_zh = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    title_en = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")
    summary = serializers.CharField(max_length=10_000, required=False, allow_blank=True, default="")
    version = VersionField()

    class Meta:
        model = CooperationAgreement
        read_only_fields = ["document_name", "created_at", "updated_at"]
        fields = [
            "id", "title_zh", "title_en", "kind", "signed_on", "status", "summary", "parties", "measures",
            "measure_labels", "version", *read_only_fields,
        ]  # fmt: skip


class ProvinceCodesField(serializers.ListField):
    """Provinces by their GB/T 2260 codes."""

    child = serializers.CharField()

    def to_representation(self, data):
        return [province.code for province in data]


class MilestoneSigningSerializer(serializers.Serializer):
    agreement = serializers.IntegerField(source="agreement.pk")
    signed_on = serializers.DateField(source="agreement.signed_on")
    kind = serializers.CharField(source="agreement.kind")
    partners = ProvinceCodesField(read_only=True)


class MilestoneProvinceSerializer(serializers.Serializer):
    province = serializers.CharField(source="province.code")
    name = serializers.CharField(source="province.name")
    origin = serializers.BooleanField(source="province.is_origin")
    destination = serializers.BooleanField(source="province.is_destination")
    verdict = serializers.ChoiceField(choices=["signed", "late", "not_signed", "not_yet_due"])
    verdict_label = serializers.CharField()
    partners = ProvinceCodesField(read_only=True)
    in_time = MilestoneSigningSerializer(many=True)
    late = MilestoneSigningSerializer(many=True)


class MilestoneSerializer(serializers.Serializer):
    target = serializers.CharField(source="target.code")
    text = serializers.CharField(source="target.text")
    due_on = serializers.DateField()
    on = serializers.DateField()
    due = serializers.BooleanField()
    signed = serializers.IntegerField(source="signed_count")
    not_signed = serializers.IntegerField(source="not_signed_count")
    provinces = MilestoneProvinceSerializer(many=True, source="rows")


class MilestoneQuerySerializer(serializers.Serializer):
    plan = serializers.CharField(required=False, max_length=40)
    on = serializers.DateField(required=False)


class PracticeAttachmentSerializer(serializers.ModelSerializer):
    class Meta:
        model = PracticeAttachment
        fields = ["id", "original_name", "content_type", "size", "sha256", "uploaded_at"]


class GoodPracticeSerializer(VersionedSerializerMixin, serializers.ModelSerializer):
    plan = serializers.CharField(source="area.plan.code", read_only=True)
    area = serializers.PrimaryKeyRelatedField(queryset=Area.objects.all())
    area_seq = serializers.IntegerField(source="area.seq", read_only=True)
    measures = MeasureIdsField(required=False, max_length=20)
    measure_labels = serializers.SlugRelatedField(
        source="measures", slug_field="label", many=True, read_only=True
    )
    unit = serializers.CharField(source="unit.code", read_only=True, allow_null=True, default=None)
    province = serializers.CharField(source="province.code", read_only=True, allow_null=True, default=None)
    practice_province = CodeField(
        attribute="code", max_length=6, required=False, allow_null=True, default=None,
        help_text=gettext_lazy("Where it is practised (GB/T 2260 code); none for the whole country."),
    )  # fmt: skip
    title = serializers.CharField(source="__str__", read_only=True)  # the caller's language, else the other
    title_zh = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    title_en = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")
    summary_zh = serializers.CharField(max_length=10_000, required=False, allow_blank=True, default="")
    summary_en = serializers.CharField(max_length=10_000, required=False, allow_blank=True, default="")
    state_label = serializers.CharField(read_only=True)
    attachments = PracticeAttachmentSerializer(many=True, read_only=True)
    version = VersionField()

    class Meta:
        model = GoodPractice
        read_only_fields = [
            "state", "review_comment", "published_at", "first_submitted_at", "submitted_at", "reviewed_at",
            "updated_at",
        ]  # fmt: skip
        fields = [
            "id", "plan", "area", "area_seq", "measures", "measure_labels", "unit", "province",
            "practice_province", "title", "title_zh", "title_en", "summary_zh", "summary_en", "state_label",
            "attachments", "version", *read_only_fields,
        ]  # fmt: skip


class PracticeQuerySerializer(serializers.Serializer):
    """The good practices' list filters (every one optional)."""

    q = serializers.CharField(
        max_length=100, required=False, allow_blank=True, default="",
        help_text=gettext_lazy("Any run of characters of a title or summary, in either language."),
    )  # fmt: skip
    plan = serializers.CharField(max_length=20, required=False, default="", help_text="2008-2012")
    area = serializers.IntegerField(min_value=1, max_value=99, required=False, allow_null=True, default=None)
    measure = serializers.CharField(
        max_length=12, required=False, default="", help_text=gettext_lazy("A measure's reference (2.1)")
    )
    unit = serializers.CharField(max_length=20, required=False, default="")
    province = serializers.CharField(max_length=6, required=False, default="")
    state = serializers.ChoiceField(choices=ReviewState.choices, required=False, allow_blank=True, default="")


@extend_schema_field({"type": "string", "example": "1,200.50", "nullable": True})
class AmountField(serializers.Field):
    """An amount in yuan, sent as a number (1200.5) or as people write it ("1,200.50", "¥1200");
    read back as a string with two decimals ("1200.50"). Refused naming the field: "-5", "abc",
    "1e9", more than two decimals, more than the column holds."""

    def to_internal_value(self, data):
        try:
            return amount_from_text(data, field=self.field_name)
        except DjangoValidationError as error:
            raise serializers.ValidationError(error.message_dict[self.field_name]) from error

    def to_representation(self, value):
        return None if value is None else f"{value:.2f}"


class FundingLineSerializer(VersionedSerializerMixin, serializers.ModelSerializer):
    plan = serializers.SlugRelatedField(slug_field="code", queryset=Plan.objects.all())
    unit = serializers.SlugRelatedField(slug_field="code", read_only=True)
    province = serializers.SlugRelatedField(slug_field="code", read_only=True)
    year = serializers.IntegerField(min_value=1900, max_value=2100)
    area = serializers.IntegerField(
        source="area.seq", min_value=1, max_value=99, required=False, allow_null=True, default=None,
        help_text=gettext_lazy("The area's number in the plan; none for the work as a whole."),
    )  # fmt: skip
    donor_kind = serializers.ChoiceField(
        choices=DonorKind.choices, required=False, allow_blank=True, default=""
    )
    donor = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    budgeted = AmountField(required=False, allow_null=True, default=None)
    amount = AmountField()
    note = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")
    version = VersionField()

    class Meta:
        model = FundingLine
        read_only_fields = ["unit", "province", "updated_at"]
        fields = [
            "id", "plan", "unit", "province", "year", "channel", "area", "donor_kind", "donor", "budgeted",
            "amount", "note", "version", *read_only_fields[2:],
        ]  # fmt: skip


class FundingQuerySerializer(serializers.Serializer):
    """The funding lines' list filters (every one optional)."""

    plan = serializers.CharField(max_length=20, required=False, default="", help_text="2008-2012")
    year = serializers.IntegerField(
        min_value=1900, max_value=2100, required=False, allow_null=True, default=None
    )
    channel = serializers.ChoiceField(
        choices=FundingChannel.choices, required=False, allow_blank=True, default=""
    )


class FundingTotalsQuerySerializer(serializers.Serializer):
    plan = serializers.CharField(max_length=20, required=False, default="", help_text="2008-2012")
    year = serializers.IntegerField(
        min_value=1900, max_value=2100, required=False, allow_null=True, default=None
    )


class MoneyField(serializers.DecimalField):
    def __init__(self, **kwargs):
        super().__init__(max_digits=16, decimal_places=2, **kwargs)


class AmountsSerializer(serializers.Serializer):
    budgeted = MoneyField()
    budget = MoneyField()
    donation = MoneyField()
    international_aid = MoneyField()
    total = MoneyField()


class ChannelTotalSerializer(serializers.Serializer):
    channel = serializers.CharField(source="channel.value")
    label = serializers.CharField(source="channel.label")
    budgeted = MoneyField(allow_null=True)
    amount = MoneyField()
    lines = serializers.IntegerField()


class YearTotalSerializer(AmountsSerializer):
    year = serializers.IntegerField()


class AreaTotalSerializer(AmountsSerializer):
    area = serializers.IntegerField(allow_null=True, help_text=gettext_lazy("None: the work as a whole."))
    title = serializers.CharField()


class FundingTotalsSerializer(serializers.Serializer):
    plan = serializers.CharField()
    years = serializers.ListField(child=serializers.IntegerField())
    lines = serializers.IntegerField()
    total = AmountsSerializer()
    by_channel = ChannelTotalSerializer(many=True)
    by_year = YearTotalSerializer(many=True)
    by_area = AreaTotalSerializer(many=True)


class FundingDeleteSerializer(serializers.Serializer):
    version = VersionField()
