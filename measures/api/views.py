"""API of the measures app: the plan (plans, areas, measures, targets), reporting periods, progress
entries with their workflow and evidence files, evaluation rounds and their assessments.

A write goes through the same services as the pages: 400 naming the field, 404 for what the caller
may not see, 403 for a role that may see but not write, 409 on a stale version or a closed round.
Progress entries are reviewed records: ``ProgressEntryViewSet`` is a
``core.api.reviewed.ReviewedRecordViewSet``.
"""

from django.db.models import F, Prefetch
from django.http import FileResponse, Http404
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response

from agencies.models import Division, Province
from core.api.errors import call_service
from core.api.reviewed import ReviewedRecordViewSet
from core.api.views import RestrictedQuerysetMixin, RestrictedReadOnlyViewSet
from core.permissions import FOLLOW_THE_PLAN, READ_ALL_SUBMITTED, may
from measures import services
from measures.api.serializers import (
    AreaSerializer,
    CooperationAgreementSerializer,
    EvaluationRoundSerializer,
    EvidenceFileSerializer,
    EvidenceUploadSerializer,
    FundingDeleteSerializer,
    FundingLineSerializer,
    FundingQuerySerializer,
    FundingTotalsQuerySerializer,
    FundingTotalsSerializer,
    GoodPracticeSerializer,
    ImplementationPlanSerializer,
    MeasureSerializer,
    MilestoneQuerySerializer,
    MilestoneSerializer,
    OfficeAssessmentSerializer,
    OwnerWithoutPlanSerializer,
    PlanSerializer,
    PracticeAttachmentSerializer,
    PracticeQuerySerializer,
    ProgressEntrySerializer,
    ReportingPeriodSerializer,
    ReviewSerializer,
    SelfAssessmentSerializer,
    TargetSerializer,
)
from measures.choices import AgreementStatus, LineKind
from measures.filtersets import AgreementFilterSet, MeasureFilterSet
from measures.models import (
    Area,
    CooperationAgreement,
    EvaluationRound,
    EvidenceFile,
    FundingLine,
    GoodPractice,
    ImplementationLine,
    ImplementationPlan,
    ImplementationTarget,
    Measure,
    OfficeAssessment,
    Plan,
    PracticeAttachment,
    ProgressEntry,
    ReportingPeriod,
    SelfAssessment,
    Target,
)
from measures.models.owners import owner_of
from measures.selectors import agreements as agreement_selectors
from measures.selectors import funding as funding_selectors
from measures.selectors import measures_with_units
from measures.selectors import practices as practice_selectors
from measures.selectors.implementation import missing_owners
from measures.services.agreements import AgreementInput, PartyInput, agreement_save
from measures.services.funding import FundingInput, funding_line_add, funding_line_change, funding_line_delete
from measures.services.implementation import (
    LineInput,
    TargetInput,
    implementation_plan_accept,
    implementation_plan_reopen,
    implementation_plan_return,
    implementation_plan_save,
    implementation_plan_submit,
)
from measures.services.practices import (
    good_practice_accept,
    good_practice_reopen,
    good_practice_return,
    good_practice_save,
    good_practice_submit,
)
from measures.services.progress import UNCHANGED


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
            plan_line_id=data["plan_line_id"] if "plan_line_id" in data else UNCHANGED,
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


def _line_inputs(plan: Plan, lines: list[dict]) -> list[LineInput]:
    """The service's lines out of the API's (measures by reference, divisions by code): an unknown
    one is refused naming its place (``lines.2.measure``)."""
    refs = {line["measure"] for line in lines}
    codes = {t["division"] for line in lines for t in line.get("targets", []) if t.get("division")}
    measures = {m.ref: m for m in Measure.objects.filter(plan=plan, ref__in=refs)}
    divisions = {d.code: d for d in Division.objects.filter(code__in=codes)}
    errors = {}
    for i, line in enumerate(lines):
        if line["measure"] not in measures:
            errors[f"lines.{i}.measure"] = [_("Unknown measure: use a reference such as 2.1.")]
        for j, target in enumerate(line.get("targets", [])):
            if target.get("division") and target["division"] not in divisions:
                errors[f"lines.{i}.targets.{j}.division"] = [_("Unknown division: use its GB/T 2260 code.")]
    if errors:
        raise ValidationError(errors)
    return [
        LineInput(
            line_id=line.get("id"),
            measure=measures[line["measure"]],
            kind=line.get("kind", LineKind.ACTION),
            title=line.get("title", ""),
            text=line["text"],
            office_in_charge=line["office_in_charge"],
            budget=line.get("budget"),
            targets=[
                TargetInput(
                    year=t["year"],
                    division=divisions.get(t.get("division")),
                    text=t["text"],
                    quantity=t.get("quantity"),
                )
                for t in line.get("targets", [])
            ],
        )
        for line in lines
    ]


def _saved_inputs(record: ImplementationPlan) -> list[LineInput]:
    """A plan's saved lines as the service takes them (an update that sends no ``lines`` keeps them)."""
    return [
        LineInput(
            line_id=line.pk,
            measure=line.measure,
            kind=line.kind,
            title=line.title,
            text=line.text,
            office_in_charge=line.office_in_charge,
            budget=line.budget,
            targets=[
                TargetInput(year=t.year, division=t.division, text=t.text, quantity=t.quantity)
                for t in line.targets.all()
            ],
        )
        for line in record.lines.all()
    ]


@extend_schema_view(
    accept=extend_schema(request=ReviewSerializer, responses=ImplementationPlanSerializer),
    return_=extend_schema(request=ReviewSerializer, responses=ImplementationPlanSerializer),
    reopen=extend_schema(request=ReviewSerializer, responses=ImplementationPlanSerializer),
    submit=extend_schema(request=ReviewSerializer, responses=ImplementationPlanSerializer),
)
class ImplementationPlanViewSet(ReviewedRecordViewSet):
    """Implementation plans of member units and provinces (Part Five 1), with their lines and
    yearly targets (a province's local measures with targets per division).

    A unit's liaison officers and a province's own reporting officers see and write their plan; the
    Office and auditors see every submitted one; a prefecture's reporters their province's once sent.
    ``PUT`` sends the whole list of lines (a saved line keeps its ``id``; one left out is removed);
    a plan is created with ``POST`` (one per owner and plan). The Office accepts, returns (with a
    comment) or reopens (with the reason). ``missing/`` lists who has no plan yet (Office, auditors).
    """

    queryset = ImplementationPlan.objects.with_details().prefetch_related(
        Prefetch(
            "lines",
            queryset=ImplementationLine.objects.select_related("measure").prefetch_related(
                Prefetch("targets", queryset=ImplementationTarget.objects.select_related("division"))
            ),
        )
    )
    serializer_class = ImplementationPlanSerializer
    filterset_fields = {
        "plan__code": ["exact"],
        "state": ["exact"],
        "unit__code": ["exact"],
        "province__code": ["exact"],
    }
    decisions = {
        "accept": implementation_plan_accept,
        "return": implementation_plan_return,
        "reopen": implementation_plan_reopen,
    }
    record_id_name = "record_id"
    decision_serializer_class = ReviewSerializer
    submit_serializer_class = ReviewSerializer  # its comment is not used

    def save_record(self, data, instance=None):
        plan = instance.plan if instance else data["plan"]
        if instance is not None and data.get("plan") not in (None, plan):
            raise ValidationError({"plan": [_("A plan cannot be moved to another national plan.")]})
        plan = Plan.objects.restrict(self.request.user).filter(pk=plan.pk).first()
        if plan is None:
            raise ValidationError({"plan": [_("Unknown plan.")]})
        if "lines" in data:
            lines = _line_inputs(plan, data["lines"])
        else:
            lines = _saved_inputs(instance) if instance else []
        return call_service(
            implementation_plan_save,
            actor=self.request.user,
            plan=plan,
            summary=data.get("summary", instance.summary if instance else ""),
            lines=lines,
            version=data["version"] if instance else 0,  # creating: there must be none yet
            record_id=instance.pk if instance else None,
        )

    def submit_record(self, record, data):
        return call_service(
            implementation_plan_submit, actor=self.request.user, record_id=record.pk, version=data["version"]
        )

    @action(detail=True, methods=["post"])
    def reopen(self, request, pk=None):
        return self.decide(request, "reopen")

    @extend_schema(
        parameters=[OpenApiParameter("plan", str, required=True, description="The plan's code: 2008-2012")],
        responses=OwnerWithoutPlanSerializer(many=True),
    )
    @action(detail=False, methods=["get"], filterset_fields=None)
    def missing(self, request):
        """The member units and provinces with no implementation plan the caller sees yet (for the
        Office and auditors: none submitted), in the plan's order; paged."""
        if not may(request.user, READ_ALL_SUBMITTED):
            raise Http404
        plan = Plan.objects.restrict(request.user).filter(code=request.query_params.get("plan", "")).first()
        if plan is None:
            raise Http404
        rows = [
            {"kind": "unit" if row.unit else "province", "code": row.code, "name": str(row.owner.name)}
            for row in missing_owners(request.user, plan)
        ]
        page = self.paginate_queryset(rows)
        return self.get_paginated_response(OwnerWithoutPlanSerializer(page, many=True).data)

    @extend_schema(responses={(200, "application/octet-stream"): bytes})
    @action(detail=True, methods=["get"])
    def document(self, request, pk=None):
        """The plan's document (404 when it has none)."""
        record = self.get_object()
        if not record.document:
            raise Http404
        return FileResponse(
            record.document.open("rb"),
            as_attachment=True,
            filename=record.document_name,
            content_type=record.document_type,
        )


def _party_inputs(parties: list[dict]) -> list[PartyInput]:
    """The service's parties out of the API's (provinces by code): an unknown code is refused naming
    its place (``parties.1.province``)."""
    codes = {party["province"] for party in parties if party.get("province")}
    provinces = {p.code: p for p in Province.objects.filter(code__in=codes)}
    errors = {
        f"parties.{i}.province": [_("Unknown province: use its GB/T 2260 code, such as 530000.")]
        for i, party in enumerate(parties)
        if party.get("province") and party["province"] not in provinces
    }
    if errors:
        raise ValidationError(errors)
    return [
        PartyInput(
            province=provinces.get(party.get("province") or ""),
            foreign_kind=party.get("foreign_kind", ""),
            foreign_name_zh=party.get("foreign_name_zh", ""),
            foreign_name_en=party.get("foreign_name_en", ""),
        )
        for party in parties
    ]


def _measures(ids: list[int]) -> list[Measure]:
    found = {m.pk: m for m in Measure.objects.filter(pk__in=ids)}
    if set(ids) - set(found):
        raise ValidationError({"measures": [_("Unknown measure: use the ids of /api/measures/.")]})
    return [found[pk] for pk in dict.fromkeys(ids)]


@extend_schema_view(
    milestone=extend_schema(
        parameters=[
            OpenApiParameter("plan", str, description="The plan's code (2008-2012); by default the newest"),
            OpenApiParameter("on", OpenApiTypes.DATE, description="The day judged; by default today"),
        ],
        responses=MilestoneSerializer,
    ),
    document=extend_schema(responses={(200, "application/octet-stream"): bytes}),
)
class CooperationAgreementViewSet(
    RestrictedQuerysetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """The registry of cooperation agreements (2.(3)): between provinces and, for area 5, with
    countries and international organisations, newest first.

    Every user who follows the plan reads it; the Office, and the reporting officers of a party
    province's own office, record (``POST``) and change (``PUT``/``PATCH`` with the ``version`` read)
    an agreement: at least two parties, a province at most once, a party abroad with its kind and a
    name, signed on a day that has come. ``milestone/`` judges the plan's milestone of 2.(3) from the
    registry: which main origin and destination provinces had signed by its due date.
    """

    queryset = agreement_selectors.with_listing(CooperationAgreement.objects.order_by("-signed_on", "-pk"))
    serializer_class = CooperationAgreementSerializer
    filterset_class = AgreementFilterSet

    def check_object_permissions(self, request, obj):
        pass  # the service checks a change inside its transaction (403, or 409 with the reason)

    def _save(self, data: dict, instance=None) -> CooperationAgreement:
        def saved(name, default=""):
            return data[name] if name in data else getattr(instance, name) if instance else default

        if "parties" in data:
            parties = _party_inputs(data["parties"])
        else:
            parties = [
                PartyInput(p.province, p.foreign_kind, p.foreign_name_zh, p.foreign_name_en)
                for p in (instance.parties.all() if instance else [])
            ]
        if "measures" in data:
            measures = _measures(data["measures"])
        else:
            measures = list(instance.measures.all()) if instance else []
        given = AgreementInput(
            title_zh=saved("title_zh"),
            title_en=saved("title_en"),
            kind=saved("kind"),
            signed_on=saved("signed_on", None),
            status=saved("status", AgreementStatus.IN_FORCE),
            summary=saved("summary"),
            measures=measures,
            parties=parties,
        )
        return call_service(
            agreement_save,
            actor=self.request.user,
            agreement_id=instance.pk if instance else None,
            version=data.get("version") if instance else None,
            data=given,
        )

    def _answer(self, record, status: int = 200) -> Response:
        return Response(self.get_serializer(self.get_queryset().get(pk=record.pk)).data, status=status)

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        return self._answer(self._save(serializer.validated_data), status=201)

    def update(self, request, *args, **kwargs):
        instance = self.get_object()
        serializer = self.get_serializer(instance, data=request.data, partial=kwargs.get("partial", False))
        serializer.is_valid(raise_exception=True)  # the version is required (VersionField)
        return self._answer(self._save(serializer.validated_data, instance))

    @action(detail=True, methods=["get"])
    def document(self, request, pk=None):
        """The agreement's signed document (404 when it has none)."""
        record = self.get_object()
        if not record.document:
            raise Http404
        return FileResponse(
            record.document.open("rb"),
            as_attachment=True,
            filename=record.document_name,
            content_type=record.document_type,
        )

    @action(detail=False, methods=["get"], filterset_class=None, pagination_class=None)
    def milestone(self, request):
        """The plan's milestone of 2.(3) judged from the registry on the day ``on``: each main origin
        and destination province, whether it had signed with another province by the due date (not
        terminated), with whom, and what it signed later."""
        if not may(request.user, FOLLOW_THE_PLAN):
            raise Http404
        query = MilestoneQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        plans = Plan.objects.restrict(request.user)
        code = query.validated_data.get("plan")
        plan = plans.filter(code=code).first() if code else plans.order_by("-start_year").first()
        target = agreement_selectors.milestone_target(plan) if plan else None
        if target is None:
            raise Http404
        on = query.validated_data.get("on")
        standing = agreement_selectors.milestone_standing(request.user, target, on)
        return Response(MilestoneSerializer(standing).data)


@extend_schema_view(
    list=extend_schema(parameters=[PracticeQuerySerializer]),
    accept=extend_schema(request=ReviewSerializer, responses=GoodPracticeSerializer),
    return_=extend_schema(request=ReviewSerializer, responses=GoodPracticeSerializer),
    reopen=extend_schema(request=ReviewSerializer, responses=GoodPracticeSerializer),
    submit=extend_schema(request=ReviewSerializer, responses=GoodPracticeSerializer),
    attachments=extend_schema(
        request={"multipart/form-data": EvidenceUploadSerializer}, responses=GoodPracticeSerializer
    ),
)
class GoodPracticeViewSet(ReviewedRecordViewSet):
    """The library of good practices (1.(5)): every signed-in user reads the published ones; a
    unit's liaison officers and a province's own reporting officers also their own drafts, the
    Office and auditors every submitted one. Newest published first.

    ``q`` finds any run of characters of a title or summary in either language (Chinese has no
    spaces between words); ``area`` (its number, with ``plan``), ``measure`` (a reference: its dash
    items too), ``unit`` and ``province`` (where it is practised, or who proposed it) filter.
    Owners create (``POST``), change a draft or returned one (``PUT``/``PATCH`` with ``version``),
    attach files (``attachments/``) and submit; the Office publishes (``accept/``), returns (with a
    comment) or takes a published one out (``reopen/``, with the reason).
    """

    queryset = GoodPractice.objects.all()
    serializer_class = GoodPracticeSerializer
    parser_classes = [JSONParser, MultiPartParser, FormParser]
    filterset_fields = None  # the list's filters are PracticeQuerySerializer's
    decisions = {
        "accept": good_practice_accept,
        "return": good_practice_return,
        "reopen": good_practice_reopen,
    }
    record_id_name = "practice_id"
    decision_serializer_class = ReviewSerializer
    submit_serializer_class = ReviewSerializer  # its comment is not used

    def get_queryset(self):
        practices = practice_selectors.with_listing(super().get_queryset()).prefetch_related("attachments")
        if self.action == "list":
            query = PracticeQuerySerializer(data=self.request.query_params)
            query.is_valid(raise_exception=True)
            params = query.validated_data
            practices = practice_selectors.PracticeFilters(
                q=params["q"],
                area=params["area"],
                measure=params["measure"],
                unit=params["unit"],
                province=params["province"],
            ).apply(practices)
            if params["plan"]:
                practices = practices.filter(area__plan__code=params["plan"])
            if params["state"]:
                practices = practices.filter(state=params["state"])
        return practices.order_by(F("published_at").desc(nulls_last=True), "-updated_at", "-pk")

    def save_record(self, data, instance=None, new_files=()):
        measures = data.get("measures")
        if measures is None:
            measures = list(instance.measures.all()) if instance else []
        else:
            found = {m.pk: m for m in Measure.objects.restrict(self.request.user).filter(pk__in=measures)}
            unknown = [str(pk) for pk in measures if pk not in found]
            if unknown:
                raise ValidationError({"measures": [_("Unknown measure(s): %s") % ", ".join(unknown)]})
            measures = [found[pk] for pk in measures]
        if "practice_province" in data or instance is None:
            code = data.get("practice_province")
            province = Province.objects.filter(code=code).first() if code else None
            if code and province is None:
                raise ValidationError({"practice_province": [_("Unknown province: use a GB/T 2260 code.")]})
        else:
            province = instance.practice_province
        texts = {
            name: data.get(name, getattr(instance, name) if instance else "")
            for name in ("title_zh", "title_en", "summary_zh", "summary_en")
        }
        return call_service(
            good_practice_save,
            actor=self.request.user,
            practice_id=instance.pk if instance else None,
            version=data["version"] if instance else 0,  # creating: there is none yet
            area=data.get("area") or instance.area,
            measures=measures,
            practice_province=province,
            new_files=new_files,
            **texts,
        )

    def submit_record(self, record, data):
        return call_service(
            good_practice_submit, actor=self.request.user, practice_id=record.pk, version=data["version"]
        )

    @action(detail=True, methods=["post"])
    def reopen(self, request, pk=None):
        return self.decide(request, "reopen")

    @action(detail=True, methods=["post"], parser_classes=[MultiPartParser])
    def attachments(self, request, pk=None):
        """Attach a file (multipart field ``file``) to a practice the caller may change."""
        practice = self.get_object()
        body = EvidenceUploadSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        self.save_record(
            {"version": body.validated_data["version"]}, practice, new_files=[body.validated_data["file"]]
        )
        return self.record_response(practice, status=201)


class PracticeAttachmentViewSet(RestrictedReadOnlyViewSet):
    """The files of the practices the caller may see; ``download`` gives the file itself."""

    queryset = PracticeAttachment.objects.all()
    serializer_class = PracticeAttachmentSerializer

    @extend_schema(responses={(200, "application/octet-stream"): bytes})
    @action(detail=True, methods=["get"])
    def download(self, request, pk=None):
        attachment = self.get_object()
        return FileResponse(
            attachment.file.open("rb"),
            as_attachment=True,
            filename=attachment.original_name,
            content_type=attachment.content_type,
        )


def _funding_area(plan: Plan, data: dict, instance: FundingLine | None):
    """The area a request names by its number (``{"seq": 2}`` as the serializer reads it), the saved
    one when a PATCH names none; unknown numbers are refused naming ``area``."""
    if "area" not in data:
        return instance.area if instance else None
    seq = (data["area"] or {}).get("seq")
    if seq is None:
        return None
    area = Area.objects.filter(plan=plan, seq=seq).first()
    if area is None:
        raise ValidationError({"area": [_("Unknown area: use its number in the plan (1–5).")]})
    return area


@extend_schema_view(
    list=extend_schema(parameters=[FundingQuerySerializer]),
    destroy=extend_schema(
        parameters=[OpenApiParameter("version", int, required=True, description="The version read")]
    ),
    totals=extend_schema(parameters=[FundingTotalsQuerySerializer], responses=FundingTotalsSerializer),
)
class FundingLineViewSet(
    RestrictedQuerysetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    """Funding by channel (Part Three 3): each member unit's and province's lines, one amount of a
    year from a government budget, donations (with the kind of donor) or international aid (with
    the donor), for an area of the plan or the work as a whole.

    A unit's liaison officers and a province's own reporting officers read and write their own
    lines (``POST``; ``PUT``/``PATCH`` with the ``version`` read; ``DELETE`` with ``?version=``);
    the Office and auditors read every line and change none (403). Amounts are yuan, sent as
    numbers or as people write them ("1,200.50"). ``totals/`` sums what the caller sees by
    channel, year and area.
    """

    queryset = FundingLine.objects.select_related("plan", "unit", "province", "area").order_by(
        "plan__start_year", "year", "channel", "pk"
    )
    serializer_class = FundingLineSerializer
    filterset_class = None
    filterset_fields = None  # the list's filters are FundingQuerySerializer's

    def check_object_permissions(self, request, obj):
        pass  # the services check a change inside their transaction (403 for a reader)

    def get_queryset(self):
        lines = super().get_queryset()
        if self.action == "list":
            query = FundingQuerySerializer(data=self.request.query_params)
            query.is_valid(raise_exception=True)
            params = query.validated_data
            if params["plan"]:
                lines = lines.filter(plan__code=params["plan"])
            if params["year"] is not None:
                lines = lines.filter(year=params["year"])
            if params["channel"]:
                lines = lines.filter(channel=params["channel"])
        return lines

    def _input(self, plan: Plan, data: dict, instance=None) -> FundingInput:
        def given(name, default=""):
            return data[name] if name in data else getattr(instance, name) if instance else default

        return FundingInput(
            year=given("year", None),
            channel=given("channel"),
            area=_funding_area(plan, data, instance),
            donor_kind=given("donor_kind"),
            donor=given("donor"),
            budgeted=given("budgeted", None),
            amount=given("amount", None),
            note=given("note"),
        )

    def _answer(self, record, status: int = 200) -> Response:
        return Response(self.get_serializer(self.get_queryset().get(pk=record.pk)).data, status=status)

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        plan = serializer.validated_data["plan"]
        line = self._input(plan, serializer.validated_data)
        record = call_service(funding_line_add, actor=request.user, plan=plan, line=line)
        return self._answer(record, status=201)

    def update(self, request, *args, **kwargs):
        instance = self.get_object()
        serializer = self.get_serializer(instance, data=request.data, partial=kwargs.get("partial", False))
        serializer.is_valid(raise_exception=True)  # the version is required (VersionField)
        data = serializer.validated_data
        if data.get("plan", instance.plan) != instance.plan:
            raise ValidationError({"plan": [_("A line stays in its plan: add a new line instead.")]})
        record = call_service(
            funding_line_change,
            actor=request.user,
            line_id=instance.pk,
            version=data["version"],
            line=self._input(instance.plan, data, instance),
        )
        return self._answer(record)

    def destroy(self, request, *args, **kwargs):
        instance = self.get_object()
        query = FundingDeleteSerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        call_service(
            funding_line_delete,
            actor=request.user,
            line_id=instance.pk,
            version=query.validated_data["version"],
        )
        return Response(status=204)

    @action(detail=False, methods=["get"], filterset_class=None, pagination_class=None)
    def totals(self, request):
        """The totals of the lines the caller sees in a plan (``?plan=``, by default the newest) and
        ``?year=`` (by default every year): by channel, by year, by area (``area`` null: the work
        as a whole) and all of them."""
        if owner_of(request.user) is None and not may(request.user, READ_ALL_SUBMITTED):
            raise Http404
        query = FundingTotalsQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        plans = Plan.objects.restrict(request.user)
        code, year = query.validated_data["plan"], query.validated_data["year"]
        plan = plans.filter(code=code).first() if code else plans.order_by("-start_year").first()
        if plan is None:
            raise ValidationError({"plan": [_("Unknown plan: use its code, such as 2008-2012.")]})
        if year is not None and year not in plan.years:
            raise ValidationError(
                {"year": [_("Choose a year of the plan (%(first)d–%(last)d).") % {
                    "first": plan.start_year, "last": plan.end_year}]}
            )  # fmt: skip
        years = [year] if year is not None else list(plan.years)
        totals = funding_selectors.funding_totals(request.user, plan, years=years)

        def amounts(values) -> dict:
            names = ("budgeted", "budget", "donation", "international_aid", "total")
            return {name: getattr(values, name) for name in names}

        data = {
            "plan": plan.code,
            "years": years,
            "lines": totals.lines,
            "total": amounts(totals.all),
            "by_channel": totals.channels,
            "by_year": [{"year": y, **amounts(values)} for y, values in totals.years],
            "by_area": [
                {
                    "area": area.seq if area else None,
                    "title": area.title if area else _("The work as a whole"),
                    **amounts(values),
                }
                for area, values in totals.areas
            ],
        }
        return Response(FundingTotalsSerializer(data).data)
