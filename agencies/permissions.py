"""The one permission gate of the portal.

Every model that holds data a user may or may not see has a default manager built on
``RestrictedQuerySet`` and states its rule in ``access_filter``. Pages, API, exports, reports and
jobs start from ``Model.objects.restrict(user, action)``: nothing reads such data unrestricted by
accident. Something a user may not see answers 404, the same as something that does not exist;
403 only where the user may see an object but not do the action on it.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import Q
from django.http import Http404

from .choices import Role

VIEW = "view"
ADD = "add"
CHANGE = "change"
DELETE = "delete"
ACTIONS = (VIEW, ADD, CHANGE, DELETE)

# A filter that matches no row; Django answers it without a query.
NOTHING = Q(pk__in=[])
EVERYTHING = Q()


def is_active_user(user) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_active)


class RestrictedQuerySet(models.QuerySet):
    """A queryset that knows who may see and change its rows."""

    def restrict(self, user, action: str = VIEW) -> RestrictedQuerySet:
        if action not in ACTIONS:
            raise ValueError(f"unknown action {action!r}")
        if not is_active_user(user):
            return self.none()
        condition = self.access_filter(user, action)
        if condition is NOTHING:
            return self.none()
        if condition is EVERYTHING:
            return self.all()
        return self.filter(condition)

    def access_filter(self, user, action: str) -> Q:
        """The rows ``user`` may do ``action`` on; each restricted model says its own rule."""
        raise NotImplementedError(f"{self.model.__name__} states no access rule")


class ReferenceDataQuerySet(RestrictedQuerySet):
    """Data of the plan and the organisation: every signed-in user reads it, administrators edit it."""

    def access_filter(self, user, action: str) -> Q:
        if action == VIEW:
            return EVERYTHING
        return EVERYTHING if user.role == Role.ADMIN else NOTHING


def get_restricted_object(queryset: RestrictedQuerySet, user, action: str = VIEW, **lookup):
    """The object matching ``lookup`` if ``user`` may see it (else 404) and do ``action`` (else 403)."""
    try:
        obj = queryset.restrict(user, VIEW).get(**lookup)
    except queryset.model.DoesNotExist as exc:
        raise Http404 from exc
    if action != VIEW and not queryset.restrict(user, action).filter(pk=obj.pk).exists():
        raise PermissionDenied
    return obj


def require_role(user, roles) -> None:
    """Pages of another role's work do not exist for this user (404, not 403)."""
    if user.role not in roles:
        raise Http404
