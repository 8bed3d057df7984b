"""API of case files, their services, follow-up visits and referrals, and suppressed statistics.

Identifiers are masked in every answer; each read of a case is in the audit log (channel api).
Every request reads its caller's agency again (a token stays valid when its user moves to another
agency, and sees the new agency's files from then on). A supervisor reads and writes nothing: a
write on a file it reads is 403.
"""

from django.http import FileResponse, Http404
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.response import Response
from rest_framework.views import APIView

from cases import selectors
from cases.api.serializers import (
    CaseFileCreateSerializer,
    CaseFileSerializer,
    FollowUpSerializer,
    PublicReportDetailSerializer,
    PublicReportForwardSerializer,
    PublicReportListSerializer,
    PublicReportUpdateSerializer,
    ReferralDecisionSerializer,
    ReferralSerializer,
    ServiceSerializer,
)
from cases.models.case_files import CaseFile
from cases.models.public_reports import PublicReport, PublicReportAttachment
from cases.models.referrals import Referral
from cases.services import assistance, duplicates, logged_reads
from cases.services import case_files as case_writes
from cases.services import public_reports as public_writes
from cases.services import referrals as referral_writes
from core.api.errors import call_service
from core.api.pagination import KeysetPagination
from core.api.views import RestrictedQuerysetMixin
from core.audit import audit
from core.paging import paged_from
from core.permissions import KEEP_CASE_FILES, REVIEW, may


def run(function, **kwargs):
    return call_service(
        function, conflicts=(duplicates.PossibleDuplicate, duplicates.DuplicateCheckLimited), **kwargs
    )


def _keepers_only(request) -> None:
    """Case files, services, visits and referrals are written by case officers only: anyone else
    (a supervisor, who reads the files) is refused before the body is even read (403)."""
    if not may(request.user, KEEP_CASE_FILES):
        raise PermissionDenied


class RefusalLoggedMixin:
    """A case (or referral) the caller may not see, or that does not exist, answers 404 and leaves
    a "refused" entry in the audit log, as on the pages (``logged_reads.case_refused``)."""

    def get_object(self):
        try:
            return super().get_object()
        except Http404:
            asked = self.kwargs.get(self.lookup_url_kwarg or self.lookup_field, "")
            logged_reads.case_refused(actor=self.request.user, model=self.queryset.model, asked=asked)
            raise


class CaseFileViewSet(
    RefusalLoggedMixin,
    RestrictedQuerysetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """Case files the caller reads: a case officer's agency's own and those referred to it, a
    supervisor's those of the agencies below (read-only)."""

    queryset = CaseFile.objects.select_related("owner_agency", "rescue_province")
    serializer_class = CaseFileSerializer
    lookup_field = "number"
    filterset_fields = {"status": ["exact"], "category": ["exact"]}
    pagination_class = KeysetPagination  # newest rescue first, by cursor: no count, no offset
    keyset_field = "rescued_on"

    def list(self, request, *args, **kwargs):
        response = super().list(request, *args, **kwargs)
        if response.status_code == 200:
            # One audit entry for the page of files answered (whatever the pagination).
            data = response.data
            shown = data.get("results", []) if isinstance(data, dict) else data
            params = request.query_params
            filters = {key: params[key] for key in ("status", "category") if key in params}
            numbers = [case["number"] for case in shown]
            logged_reads.cases_shown(
                actor=request.user,
                action="list",
                numbers=numbers,
                detail={"list": "cases", **filters, **paged_from(request)},
            )
        return response

    def retrieve(self, request, *args, **kwargs):
        case = logged_reads.case_viewed(actor=request.user, case=self.get_object())
        return Response(self.get_serializer(case).data)

    @extend_schema(request=CaseFileCreateSerializer, responses=CaseFileSerializer)
    def create(self, request, *args, **kwargs):
        _keepers_only(request)
        body = CaseFileCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = dict(body.validated_data)
        confirm = data.pop("confirm_duplicate")
        case = run(case_writes.case_create, actor=request.user, data=data, confirm_duplicate=confirm)
        return Response(self.get_serializer(case).data, status=201)

    def _written_in(self) -> CaseFile:
        """The case a service or visit is added to: 404 if the caller does not see it, 403 if the
        caller reads it without keeping case files (a supervisor)."""
        case = self.get_object()
        _keepers_only(self.request)
        return case

    @extend_schema(request=ServiceSerializer, responses=ServiceSerializer)
    @action(detail=True, methods=["post"])
    def services(self, request, number=None):
        case = self._written_in()
        body = ServiceSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        service = run(assistance.service_add, actor=request.user, case_id=case.pk, **body.validated_data)
        return Response(ServiceSerializer(service).data, status=201)

    @extend_schema(request=FollowUpSerializer, responses=FollowUpSerializer)
    @action(detail=True, methods=["post"], url_path="follow-ups")
    def follow_ups(self, request, number=None):
        case = self._written_in()
        body = FollowUpSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        visit = run(assistance.follow_up_add, actor=request.user, case_id=case.pk, **body.validated_data)
        return Response(FollowUpSerializer(visit).data, status=201)


class ReferralViewSet(RefusalLoggedMixin, RestrictedQuerysetMixin, mixins.ListModelMixin,
                      mixins.RetrieveModelMixin, mixins.CreateModelMixin,
                      viewsets.GenericViewSet):  # fmt: skip
    """Referrals sent or received by the caller's agency, and their decisions."""

    queryset = Referral.objects.select_related("case", "from_agency", "to_agency")
    serializer_class = ReferralSerializer
    pagination_class = KeysetPagination  # newest first, by cursor: sent and received each by its index
    keyset_field = "requested_at"
    filterset_fields = {"state": ["exact"]}

    def create(self, request, *args, **kwargs):
        _keepers_only(request)
        body = self.get_serializer(data=request.data)
        body.is_valid(raise_exception=True)
        case = CaseFile.objects.restrict(request.user).filter(pk=body.validated_data["case"].pk).first()
        if case is None:
            raise NotFound
        data = body.validated_data
        referral = run(
            referral_writes.referral_create,
            actor=request.user,
            case_id=case.pk,
            to_agency=data["to_agency"],
            purpose=data["purpose"],
            kind=data["kind"],
        )
        return Response(self.get_serializer(referral).data, status=201)

    def _act(self, request, function, **kwargs):
        referral = self.get_object()
        return Response(
            self.get_serializer(run(function, actor=request.user, referral_id=referral.pk, **kwargs)).data
        )

    def _decide(self, request, accept: bool):
        body = ReferralDecisionSerializer(data=request.data)
        body.is_valid(raise_exception=True)  # a body that is not an object: 400, not 500
        return self._act(
            request, referral_writes.referral_decide, accept=accept, note=body.validated_data["note"]
        )

    @extend_schema(request=ReferralDecisionSerializer, responses=ReferralSerializer)
    @action(detail=True, methods=["post"])
    def accept(self, request, pk=None):
        return self._decide(request, accept=True)

    @extend_schema(request=ReferralDecisionSerializer, responses=ReferralSerializer)
    @action(detail=True, methods=["post"])
    def decline(self, request, pk=None):
        return self._decide(request, accept=False)

    @extend_schema(request=None, responses=ReferralSerializer)
    @action(detail=True, methods=["post"])
    def complete(self, request, pk=None):
        return self._act(request, referral_writes.referral_end, revoke=False)

    @extend_schema(request=None, responses=ReferralSerializer)
    @action(detail=True, methods=["post"])
    def revoke(self, request, pk=None):
        return self._act(request, referral_writes.referral_end, revoke=True)


class CaseStatisticsView(APIView):
    """Case counts by province (or status) and category, small cells suppressed (null)."""

    @extend_schema(responses={200: dict})
    def get(self, request):
        by = request.query_params.get("by", "province")
        table = selectors.suppressed_statistics(
            request.user, "status" if by == "status" else "province", "category"
        )
        return Response(
            {
                "threshold": table.threshold,
                "columns": [str(key) for key, _label in table.columns],
                "rows": [
                    {
                        "key": str(key),
                        "cells": [table.cells[(key, c)] for c, _ in table.columns],
                        "total": table.row_totals[key],
                    }
                    for key, _label in table.rows
                ],
                "column_totals": [table.column_totals[c] for c, _ in table.columns],
                "total": table.total,
            }
        )


class PublicReportViewSet(
    RefusalLoggedMixin,
    RestrictedQuerysetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """Reports from the public the caller reads: the receiving public-security office's case
    officers, and the IMCS Office for those that came through its triage (``?queue=triage``: those
    still waiting). Every list and read is in the audit log; the Office forwards, the receiver sets
    the status and notes (``PATCH`` with the version read)."""

    queryset = PublicReport.objects.select_related("division", "province", "receiving_agency")
    filterset_fields = {"status": ["exact"]}
    http_method_names = ["get", "patch", "post", "head", "options"]

    def get_serializer_class(self):
        return PublicReportListSerializer if self.action == "list" else PublicReportDetailSerializer

    def get_queryset(self):
        queryset = super().get_queryset()
        if self.action == "retrieve":
            queryset = queryset.prefetch_related("attachments")
        if self.request.query_params.get("queue") == "triage":
            queryset = queryset.filter(receiving_agency__isnull=True)
        return queryset

    def list(self, request, *args, **kwargs):
        response = super().list(request, *args, **kwargs)
        if response.status_code == 200:
            data = response.data
            shown = data.get("results", []) if isinstance(data, dict) else data
            public_writes.public_reports_shown(
                actor=request.user, reports=[PublicReport(pk=row["id"]) for row in shown]
            )
        return response

    def retrieve(self, request, *args, **kwargs):
        report = self.get_object()
        audit(user=request.user, action="view", obj=report)
        return Response(self.get_serializer(report).data)

    @extend_schema(request=PublicReportUpdateSerializer, responses=PublicReportDetailSerializer)
    def partial_update(self, request, *args, **kwargs):
        report = self.get_object()
        body = PublicReportUpdateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        saved = call_service(public_writes.public_report_update, actor=request.user, report_id=report.pk,
                             **body.validated_data)  # fmt: skip
        return Response(PublicReportDetailSerializer(saved).data)

    @extend_schema(request=PublicReportForwardSerializer, responses=PublicReportDetailSerializer)
    @action(detail=True, methods=["post"])
    def forward(self, request, pk=None):
        report = self.get_object()
        if not may(request.user, REVIEW):
            raise PermissionDenied
        body = PublicReportForwardSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        saved = call_service(public_writes.public_report_forward, actor=request.user, report_id=report.pk,
                             **body.validated_data)  # fmt: skip
        return Response(PublicReportDetailSerializer(saved).data)

    @extend_schema(responses={(200, "application/octet-stream"): bytes})
    @action(detail=True, methods=["get"], url_path=r"files/(?P<file_id>[0-9]+)")
    def file(self, request, pk=None, file_id=None):
        report = self.get_object()
        attachment = (
            PublicReportAttachment.objects.restrict(request.user).filter(pk=file_id, report=report).first()
        )
        if attachment is None:
            raise NotFound
        public_writes.public_report_file_read(actor=request.user, attachment=attachment)
        return FileResponse(attachment.file.open("rb"), as_attachment=True, filename=attachment.original_name,
                            content_type=attachment.content_type)  # fmt: skip
