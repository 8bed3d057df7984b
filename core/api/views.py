"""Base viewsets and router of the API: every queryset starts from the permission gate.

DRF runs no object check on lists, so the list itself is restricted; an object outside the
caller's view answers 404, an object they see but may not change answers 403.
"""

from django.db import models
from rest_framework import viewsets
from rest_framework.exceptions import PermissionDenied
from rest_framework.routers import SimpleRouter

from core.permissions import CHANGE, DELETE, VIEW, allows

# The standard writes on an object and the permission each needs. Custom actions (``submit``,
# ``accept``, ...) call a service, which checks the caller's rights inside its transaction.
OBJECT_ACTIONS = {"update": CHANGE, "partial_update": CHANGE, "destroy": DELETE}

# An id in a URL: digits only, and few enough to fit a bigint column.
INTEGER_LOOKUP = "[0-9]{1,18}"


class PortalRouter(SimpleRouter):
    """A router whose detail URLs take only what the lookup field can hold: an integer id matches
    digits, so ``/api/jobs/null,null/retry/`` is 404 at the URL, never a database error in a view.
    A viewset that looks objects up by a code sets its own ``lookup_value_regex``."""

    def get_lookup_regex(self, viewset, lookup_prefix=""):
        if getattr(viewset, "lookup_value_regex", None) is None and _integer_lookup(viewset):
            lookup_field = getattr(viewset, "lookup_field", "pk")
            lookup_url_kwarg = getattr(viewset, "lookup_url_kwarg", None) or lookup_field
            return f"(?P<{lookup_prefix}{lookup_url_kwarg}>{INTEGER_LOOKUP})"
        return super().get_lookup_regex(viewset, lookup_prefix)


def _integer_lookup(viewset) -> bool:
    queryset = getattr(viewset, "queryset", None)
    if queryset is None:
        return False
    model = queryset.model
    name = getattr(viewset, "lookup_field", "pk")
    field = model._meta.pk if name == "pk" else model._meta.get_field(name)
    return isinstance(field, models.AutoField | models.IntegerField)


class RestrictedQuerysetMixin:
    """``queryset`` is restricted to what the caller may see; writes re-check their own action."""

    def get_queryset(self):
        return super().get_queryset().restrict(self.request.user, VIEW)

    def check_object_permissions(self, request, obj):
        super().check_object_permissions(request, obj)
        action = OBJECT_ACTIONS.get(getattr(self, "action", None))
        if action and not allows(request.user, action, obj):
            raise PermissionDenied


class RestrictedReadOnlyViewSet(RestrictedQuerysetMixin, viewsets.ReadOnlyModelViewSet):
    pass
