"""The API's one paginator (its own module: DRF's settings import it while DRF itself loads)."""

from django.utils.translation import gettext_lazy as _
from rest_framework.pagination import LimitOffsetPagination


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
