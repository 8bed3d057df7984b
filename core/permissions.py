"""The one permission gate of the portal.

Every model that holds data a user may or may not see has a default manager built on
``RestrictedQuerySet`` and states its rule in ``access_filter``. Pages, API, exports, reports and
jobs start from ``Model.objects.restrict(user, action)``: nothing reads such data unrestricted by
accident. Something a user may not see answers 404, the same as something that does not exist;
403 only where the user may see an object but not do the action on it.

Beside ``restrict`` stand the gate's named predicates: what a user's role lets them do in the
portal at all (``may(user, LOG_PROGRESS)``, ``require(user, REVIEW)``), from one table,
``CAPABILITIES``. Views, serializers, services and selectors ask these or ``restrict``; none of
them reads ``user.role`` to decide. ``allows(user, action, obj)`` answers for one object.
"""

from __future__ import annotations

from functools import cache

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import Q
from django.http import Http404

from core.choices import READERS_OF_ALL, Role

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
        if not self._may_ask(user, action):
            return self.none()
        return self._where(self.access_filter(user, action))

    @staticmethod
    def _may_ask(user, action: str) -> bool:
        """Whether the rule is asked at all: an unknown action is a mistake; an inactive user reads
        nothing."""
        if action not in ACTIONS:
            raise ValueError(f"unknown action {action!r}")
        return is_active_user(user)

    def _where(self, condition: Q) -> RestrictedQuerySet:
        if condition is NOTHING:
            return self.none()
        if condition is EVERYTHING:
            return self.all()
        return self.filter(condition)

    def access_filter(self, user, action: str) -> Q:
        """The rows ``user`` may do ``action`` on; each restricted model says its own rule."""
        raise NotImplementedError(f"{self.model.__name__} states no access rule")

    def restrict_parts(self, user, action: str = VIEW) -> list[RestrictedQuerySet]:
        """``restrict``, as querysets whose union it is: for a long list read in index order part by
        part and merged (``core.paging.keyset_page``), where one ordered read of the whole rule
        would hash it and scan. A rule of parts states them in ``access_parts``; the others are one."""
        if not self._may_ask(user, action):
            return [self.none()]
        return [self._where(part) for part in self.access_parts(user, action)]

    def access_parts(self, user, action: str) -> list[Q]:
        """The rule as the filters whose union is ``access_filter``, each answered by an index of
        its own (a case officer's files: the agency's own, those granted to it)."""
        return [self.access_filter(user, action)]


class ReferenceDataQuerySet(RestrictedQuerySet):
    """Data of the plan and the organisation: every signed-in user reads it, administrators edit it."""

    def access_filter(self, user, action: str) -> Q:
        if action == VIEW:
            return EVERYTHING
        return EVERYTHING if may(user, ADMINISTER) else NOTHING


def get_restricted_object(queryset: RestrictedQuerySet, user, action: str = VIEW, **lookup):
    """The object matching ``lookup`` if ``user`` may see it (else 404) and do ``action`` (else 403)."""
    try:
        obj = queryset.restrict(user, VIEW).get(**lookup)
    except queryset.model.DoesNotExist as exc:
        raise Http404 from exc
    if action != VIEW and not allows(user, action, obj):
        raise PermissionDenied
    return obj


# What each role may do in the portal at all; which rows it may do it on is each model's
# ``access_filter``. The one table of role → capability: nothing else compares roles.
LOG_PROGRESS = "log_progress"  # a unit's progress entries and its evaluation self-assessment
REPORT_QUARTERLY = "report_quarterly"  # a province's quarterly report, its spreadsheet, reopen requests
KEEP_CASE_FILES = "keep_case_files"  # an agency's confidential case files and referrals
READ_CASE_FILES = (
    "read_case_files"  # case files as a case officer or a supervisor of agencies below sees them
)
REVIEW = "review"  # accept, return, reopen others' records; evaluation rounds; baselines; national reports
READ_ALL_SUBMITTED = "read_all_submitted"  # every unit's and province's submitted work, the national figures
READ_AUDIT_LOG = "read_audit_log"  # the audit log of reads and changes of case files
READ_HISTORY = "read_history"  # the whole change history, not only an object's own
TAKE_PART_IN_EVALUATION = "take_part_in_evaluation"
ADMINISTER = "administer"  # the plan's and the organisation's reference data
FOLLOW_THE_PLAN = "follow_the_plan"  # the dashboard and compiled reports: all but case officers

CAPABILITIES: dict[str, frozenset[str]] = {
    LOG_PROGRESS: frozenset({Role.LIAISON}),
    REPORT_QUARTERLY: frozenset({Role.PROVINCE}),
    KEEP_CASE_FILES: frozenset({Role.CASE_OFFICER}),
    READ_CASE_FILES: frozenset({Role.CASE_OFFICER, Role.CASE_SUPERVISOR}),
    REVIEW: frozenset({Role.OFFICE}),
    READ_ALL_SUBMITTED: frozenset(READERS_OF_ALL),
    READ_AUDIT_LOG: frozenset({Role.AUDITOR, Role.ADMIN}),
    READ_HISTORY: frozenset({Role.OFFICE, Role.AUDITOR, Role.ADMIN}),
    TAKE_PART_IN_EVALUATION: frozenset({*READERS_OF_ALL, Role.LIAISON}),
    ADMINISTER: frozenset({Role.ADMIN}),
    FOLLOW_THE_PLAN: frozenset({*READERS_OF_ALL, Role.LIAISON, Role.PROVINCE}),
}


def may(user, capability: str) -> bool:
    """Whether ``user``'s role has ``capability`` (one of the names above)."""
    return is_active_user(user) and user.role in CAPABILITIES[capability]


def rights_key(user) -> str:
    """The gate's answers for ``user`` and the agency it sits in, as one string: the part of the key
    of a value kept per reader (a menu, a dashboard), so that a change of role or agency makes
    another key rather than serving what the user saw before."""
    allowed = "".join("1" if may(user, capability) else "0" for capability in sorted(CAPABILITIES))
    return f"{user.pk}:{allowed}:{user.agency_id}:{int(user.is_staff)}"


def require(user, capability: str) -> None:
    """Pages of another role's work do not exist for this user (404, not 403)."""
    if not may(user, capability):
        raise Http404


def roles_with(capability: str) -> frozenset[str]:
    """The roles that have ``capability``: for choosing whom to notify, never to decide access."""
    return CAPABILITIES[capability]


def allows(user, action: str, obj) -> bool:
    """Whether ``user`` may do ``action`` on ``obj``, by the rule of ``obj``'s model (one query)."""
    return type(obj).objects.restrict(user, action).filter(pk=obj.pk).exists()


@cache
def job_reader():
    """Whom a background job reads as when it writes for many readers (a compiled report): a reader
    of all submitted work who changes nothing, an auditor never saved. The job then reads through the
    same rules as that reader's pages. Its pk is 0, which no saved user has, so that a rule matching a
    user's own rows (``owner_id=user.pk``) matches none, never the rows that have no owner."""
    return get_user_model()(pk=0, username="compiled-report-reader", role=Role.AUDITOR, is_active=True)
