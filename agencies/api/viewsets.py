"""Base viewsets of the API: every queryset starts from the permission gate.

DRF runs no object check on lists, so the list itself is restricted; an object outside the
caller's view answers 404, an object they see but may not change answers 403.
"""

from rest_framework import viewsets
from rest_framework.exceptions import PermissionDenied

from agencies.permissions import CHANGE, DELETE, VIEW

# The standard writes on an object and the permission each needs. Custom actions (``submit``,
# ``accept``, ...) call a service, which checks the caller's rights inside its transaction.
OBJECT_ACTIONS = {"update": CHANGE, "partial_update": CHANGE, "destroy": DELETE}


class RestrictedQuerysetMixin:
    """``queryset`` is restricted to what the caller may see; writes re-check their own action."""

    def get_queryset(self):
        return super().get_queryset().restrict(self.request.user, VIEW)

    def check_object_permissions(self, request, obj):
        super().check_object_permissions(request, obj)
        action = OBJECT_ACTIONS.get(getattr(self, "action", None))
        if action and not type(obj).objects.restrict(request.user, action).filter(pk=obj.pk).exists():
            raise PermissionDenied


class RestrictedReadOnlyViewSet(RestrictedQuerysetMixin, viewsets.ReadOnlyModelViewSet):
    pass
