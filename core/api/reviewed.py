"""The one API pattern of a reviewed record (progress entries, quarterly reports).

Create and update go through the record type's save service, submitting is an action
(``POST …/{id}/submit/``) through its submit step, the Office's decisions are actions
(``POST …/{id}/accept/``, ``…/return/``) through its decision services (``core.workflow``); every
answer is the record as the caller now sees it. The services check writes inside their
transaction, so the object check here is only that the caller sees the record (404 otherwise):
403 and 409 come from the services, with the reason.
"""

from rest_framework import mixins, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from core.api.errors import call_service
from core.api.views import RestrictedQuerysetMixin


class ReviewedRecordViewSet(
    RestrictedQuerysetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """A subclass states ``decisions`` ({"accept": service, "return": service, …}; each service
    takes ``actor``, ``<record_id_name>``, ``version`` and ``comment``), ``record_id_name``
    (``entry_id``), ``decision_serializer_class`` (``version`` and ``comment``),
    ``submit_serializer_class`` (``version`` and what else submitting takes),
    ``save_record(data, instance=None)`` (calls the save service with ``call_service``) and
    ``submit_record(record, data)`` (calls the submit service). It describes its submit and decision
    actions' bodies with ``extend_schema_view``.
    """

    decisions: dict = {}
    record_id_name = "record_id"
    decision_serializer_class = None
    submit_serializer_class = None

    def check_object_permissions(self, request, obj):
        pass  # the services check writes inside their transaction (403, or 409 with the reason)

    def save_record(self, data: dict, instance=None):
        raise NotImplementedError

    def submit_record(self, record, data: dict):
        raise NotImplementedError

    def record_response(self, record, status: int = 200) -> Response:
        """The record as the caller sees it now (read again, with the list's related rows)."""
        return Response(self.get_serializer(self.get_queryset().get(pk=record.pk)).data, status=status)

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        return self.record_response(self.save_record(serializer.validated_data), status=201)

    def update(self, request, *args, **kwargs):
        instance = self.get_object()
        serializer = self.get_serializer(instance, data=request.data, partial=kwargs.get("partial", False))
        serializer.is_valid(raise_exception=True)  # the version is required (VersionField)
        self.save_record(serializer.validated_data, instance)
        return self.record_response(instance)

    def decide(self, request, decision: str) -> Response:
        record = self.get_object()
        body = self.decision_serializer_class(data=request.data)
        body.is_valid(raise_exception=True)
        call_service(
            self.decisions[decision],
            actor=request.user,
            **{self.record_id_name: record.pk},
            **body.validated_data,
        )
        return self.record_response(record)

    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        record = self.get_object()
        body = self.submit_serializer_class(data=request.data)
        body.is_valid(raise_exception=True)
        self.submit_record(record, body.validated_data)
        return self.record_response(record)

    @action(detail=True, methods=["post"])
    def accept(self, request, pk=None):
        return self.decide(request, "accept")

    @action(detail=True, methods=["post"], url_path="return")
    def return_(self, request, pk=None):
        return self.decide(request, "return")
