"""Serializers of the case files API: a case (identifiers masked), an intake, a service, a
follow-up visit, a referral and a referral's decision; a report from the public, its receiver's
status and notes, and the Office's forward."""

from rest_framework import serializers

from agencies.choices import DivisionLevel
from agencies.models import Agency, Division, Province
from cases.choices import Category, DocumentKind, Exploitation, PublicReportStatus, ReferralKind, Sex
from cases.models.assistance import AssistanceService, FollowUp
from cases.models.case_files import CaseFile
from cases.models.public_reports import PublicReport, PublicReportAttachment
from cases.models.referrals import Referral
from cases.services.public_reports import MAX_NOTES
from core.api.serializers import VersionField


class ServiceSerializer(serializers.ModelSerializer):
    agency = serializers.CharField(source="agency.code", read_only=True)

    class Meta:
        model = AssistanceService
        fields = ["id", "kind", "agency", "provided_on", "outcome"]


class FollowUpSerializer(serializers.ModelSerializer):
    agency = serializers.CharField(source="agency.code", read_only=True)

    class Meta:
        model = FollowUp
        fields = ["id", "agency", "visited_on", "living_conditions", "needs", "next_visit_due"]


class CaseFileSerializer(serializers.ModelSerializer):
    """A case with its identifiers masked (张*, ****1234)."""

    owner_agency = serializers.CharField(source="owner_agency.code", read_only=True)
    name = serializers.CharField(source="masked_name", read_only=True)
    id_number = serializers.CharField(source="masked_id_number", read_only=True)
    phone = serializers.CharField(source="masked_phone", read_only=True)
    rescue_province = serializers.CharField(source="rescue_province.code", read_only=True)

    class Meta:
        model = CaseFile
        fields = [
            "number", "owner_agency", "category", "sex", "name", "id_document_kind", "id_number", "phone",
            "date_of_birth",
            "estimated_age", "rescued_on", "rescue_province", "exploitation", "consent_services",
            "consent_sharing", "consent_statistics", "guardian_found", "status", "version",
        ]  # fmt: skip


class CaseFileCreateSerializer(serializers.Serializer):
    category = serializers.ChoiceField(choices=Category.choices)
    sex = serializers.ChoiceField(choices=Sex.choices)
    name = serializers.CharField(max_length=100)
    id_document_kind = serializers.ChoiceField(choices=DocumentKind.choices, default=DocumentKind.RESIDENT_ID)
    id_number = serializers.CharField(max_length=40, required=False, allow_blank=True)
    phone = serializers.CharField(max_length=40, required=False, allow_blank=True)
    address = serializers.CharField(max_length=300, required=False, allow_blank=True)
    date_of_birth = serializers.DateField(required=False, allow_null=True)
    estimated_age = serializers.IntegerField(required=False, allow_null=True, min_value=0, max_value=120)
    rescued_on = serializers.DateField()
    rescue_province = serializers.SlugRelatedField(slug_field="code", queryset=Province.objects.all())
    # A county or city by its GB/T 2260 code (current divisions below the province level).
    rescue_division = serializers.SlugRelatedField(
        slug_field="code",
        queryset=Division.objects.current().exclude(level=DivisionLevel.PROVINCE),
        required=False,
        allow_null=True,
    )
    home_division = serializers.SlugRelatedField(
        slug_field="code",
        queryset=Division.objects.current().exclude(level=DivisionLevel.PROVINCE),
        required=False,
        allow_null=True,
    )
    rescuing_agency = serializers.SlugRelatedField(slug_field="code", queryset=Agency.objects.case_keepers())
    exploitation = serializers.ListField(
        child=serializers.ChoiceField(choices=Exploitation.choices), required=False
    )
    consent_services = serializers.BooleanField(default=False)
    consent_sharing = serializers.BooleanField(default=False)
    consent_statistics = serializers.BooleanField(default=False)
    guardian_found = serializers.BooleanField(required=False, allow_null=True, default=None)
    confirm_duplicate = serializers.BooleanField(default=False)


class ReferralSerializer(serializers.ModelSerializer):
    case = serializers.SlugRelatedField(slug_field="number", queryset=CaseFile.objects.all())
    from_agency = serializers.CharField(source="from_agency.code", read_only=True)
    to_agency = serializers.SlugRelatedField(slug_field="code", queryset=Agency.objects.case_keepers())
    kind = serializers.ChoiceField(choices=ReferralKind.choices, default=ReferralKind.REFERRAL)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        # Only the caller's own files can be referred, and no other case number may be listed.
        self.fields["case"].queryset = (
            CaseFile.objects.restrict(request.user, "change") if request else CaseFile.objects.none()
        )

    class Meta:
        model = Referral
        fields = [
            "id",
            "case",
            "kind",
            "from_agency",
            "to_agency",
            "purpose",
            "state",
            "requested_at",
            "note",
        ]
        read_only_fields = ["state", "requested_at", "note"]


class ReferralDecisionSerializer(serializers.Serializer):
    note = serializers.CharField(required=False, allow_blank=True, default="")


class PublicReportAttachmentSerializer(serializers.ModelSerializer):
    class Meta:
        model = PublicReportAttachment
        fields = ["id", "original_name", "content_type", "size", "sha256"]


class PublicReportSerializer(serializers.ModelSerializer):
    """A report from the public as its readers see it (contact details decrypted: read audited)."""

    division = serializers.CharField(source="division.code", read_only=True)
    province = serializers.CharField(source="province.code", read_only=True)
    receiving_agency = serializers.CharField(source="receiving_agency.code", read_only=True, default=None)

    class Meta:
        model = PublicReport
        fields = [
            "id", "division", "province", "receiving_agency", "via_triage", "status", "happened_on",
            "description", "is_anonymous", "contact_name", "contact_phone", "contact_email", "language",
            "notes", "received_at", "updated_at", "version",
        ]  # fmt: skip
        read_only_fields = fields


class PublicReportDetailSerializer(PublicReportSerializer):
    attachments = PublicReportAttachmentSerializer(many=True, read_only=True)

    class Meta(PublicReportSerializer.Meta):
        fields = [*PublicReportSerializer.Meta.fields, "attachments"]
        read_only_fields = fields


class PublicReportListSerializer(serializers.ModelSerializer):
    """A line of the list: where, when, status and route; what was written is in the detail."""

    division = serializers.CharField(source="division.code", read_only=True)
    receiving_agency = serializers.CharField(source="receiving_agency.code", read_only=True, default=None)

    class Meta:
        model = PublicReport
        fields = [
            "id",
            "division",
            "receiving_agency",
            "via_triage",
            "status",
            "is_anonymous",
            "received_at",
            "version",
        ]
        read_only_fields = fields


class PublicReportUpdateSerializer(serializers.Serializer):
    # Every status, so that the schema names one enum; the service refuses the triage's own (400).
    status = serializers.ChoiceField(choices=PublicReportStatus.choices, required=False)
    notes = serializers.CharField(required=False, allow_blank=True, max_length=MAX_NOTES)
    version = VersionField()


class PublicReportForwardSerializer(serializers.Serializer):
    to_agency = serializers.SlugRelatedField(slug_field="code", queryset=Agency.objects.all())
    version = VersionField()
