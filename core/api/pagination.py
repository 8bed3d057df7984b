"""The API's paginators (their own module: DRF's settings import it while DRF itself loads): limit and
offset for every list, keyset cursors for the lists too long for offsets (case files)."""

from django.utils.translation import gettext_lazy as _
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import BasePagination, LimitOffsetPagination
from rest_framework.response import Response
from rest_framework.utils.urls import remove_query_param, replace_query_param

from core.paging import keyset_page


class PortalPagination(LimitOffsetPagination):
    """``?limit=&offset=`` with a bounded page: a larger ``limit`` gives ``max_limit`` rows; a
    ``limit`` or ``offset`` that is not a number, or too large a number, is never passed to the
    database as such."""

    default_limit = 100
    max_limit = 500
    MAX_OFFSET = 10**9
    limit_query_description = _("Number of results per page (at most 500).")

    def get_offset(self, request):
        return min(super().get_offset(request), self.MAX_OFFSET)


class KeysetPagination(BasePagination):
    """``?after=`` / ``?before=`` cursors (``core.paging``) for a list too long to count or to skip
    through by offset (case files): each page found through an index at any depth, the rows the
    caller reads by the gate's parts (``restrict_parts``), merged. The view names the field its
    list is ordered by, newest first: ``keyset_field``."""

    cursor_description = _("The cursor of the next or previous page, as given in next or previous.")
    offset_refused = _("This list is paged by cursor, not by offset: follow next and previous.")

    def paginate_queryset(self, queryset, request, view=None):
        self.request = request
        if "offset" in request.query_params:  # a client paging by offset would read page 1 forever
            raise ValidationError({"offset": [self.offset_refused]})
        parts = queryset.model.objects.restrict_parts(request.user)
        size = PortalPagination().get_limit(request)  # ?limit= as every list reads it: at most 500
        self.page = keyset_page(queryset, request.query_params, size, view.keyset_field, parts=parts)
        return self.page.rows

    def _link(self, name: str, cursor: str | None) -> str | None:
        if cursor is None:
            return None
        url = remove_query_param(self.request.build_absolute_uri(), "before" if name == "after" else "after")
        return replace_query_param(url, name, cursor)

    def get_paginated_response(self, data):
        return Response(
            {
                "next": self._link("after", self.page.next),
                "previous": self._link("before", self.page.previous),
                "results": data,
            }
        )

    def get_paginated_response_schema(self, schema):
        link = {"type": "string", "nullable": True, "format": "uri"}
        return {
            "type": "object",
            "required": ["results"],
            "properties": {"next": link, "previous": link, "results": schema},
        }

    def get_schema_operation_parameters(self, view):
        cursor = {
            "required": False,
            "in": "query",
            "description": str(self.cursor_description),
            "schema": {"type": "string"},
        }
        limit = {
            "required": False,
            "in": "query",
            "description": str(PortalPagination.limit_query_description),
        }
        return [
            {"name": "after", **cursor},
            {"name": "before", **cursor},
            {"name": "limit", **limit, "schema": {"type": "integer"}},
        ]
