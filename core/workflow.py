"""Refusals every workflow shares: an action the state does not allow, and an edit conflict."""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from core import clock
from core.choices import EDITABLE_STATES, ReviewState, Role
from core.history import change_record


class WorkflowError(Exception):
    """An action the record's state does not allow; the message says why."""


class EditConflict(Exception):
    """Someone saved the record since the user opened it: the user's change was not applied."""

    def __init__(self, record):
        self.record = record
        who = record.updated_by.get_full_name() or record.updated_by.username
        super().__init__(
            _(
                "%(who)s saved this at %(when)s, after you opened it. Your changes were not saved: "
                "compare them with what is saved now and save again."
            )
            % {"who": who, "when": date_format(timezone.localtime(record.updated_at), "DATETIME_FORMAT")}
        )


def check_version(record, version: int | None) -> None:
    """Refuse a change made against another version than the one saved; 0 means "there was none
    yet" (a form opened before someone else created the record). ``None``: no check (an explicit
    replacement, such as an uploaded spreadsheet)."""
    if version is not None and version != record.version:
        raise EditConflict(record)


def record_submit(*, actor, record, now) -> None:
    """Send a draft or returned record to the Office (inside the caller's transaction)."""
    if record.state not in EDITABLE_STATES:
        raise WorkflowError(
            _("This is %(state)s: only a draft or a returned one can be submitted.")
            % {"state": record.get_state_display()}
        )
    # A returned record stays returned, its comment visible, until it is submitted again.
    resubmitted = record.state == ReviewState.RETURNED
    record.state = ReviewState.SUBMITTED
    record.submitted_at, record.submitted_by = now, actor
    record.first_submitted_at = record.first_submitted_at or now
    record.save(update_fields=["state", "submitted_at", "submitted_by", "first_submitted_at"])
    change_record(actor=actor, obj=record, action="resubmitted" if resubmitted else "submitted")


def record_decide(
    *, actor, record, expected: str, state: str, comment: str, action: str, version: int | None
):
    """The Office's decision on a record in the ``expected`` state (inside the caller's transaction).

    Only the Office decides (403 for anyone else who can see the record); the decision is kept in
    the history with its comment.
    """
    if actor.role != Role.OFFICE:
        raise PermissionDenied
    check_version(record, version)
    if record.state != expected:
        raise WorkflowError(
            _("This is %(state)s: that decision is not possible.") % {"state": record.get_state_display()}
        )
    record.state = state
    record.review_comment = (comment or "").strip()
    record.reviewed_at, record.reviewed_by = clock.now(), actor
    record.version += 1
    record.save(update_fields=["state", "review_comment", "reviewed_at", "reviewed_by", "version"])
    change_record(actor=actor, obj=record, action=action, comment=record.review_comment)
    return record


def record_lock(actor, model, pk: int, *, change: bool, owns) -> object:
    """The record, locked for the transaction, if the actor may see it (else 404); with
    ``change``, also if the actor may still change it: an owner (``owns(record)``) whose record is
    no longer editable is told why, anyone else gets 403."""
    record = model.objects.restrict(actor, "view").select_for_update(of=("self",)).filter(pk=pk).first()
    if record is None:
        raise Http404
    if change and not model.objects.restrict(actor, "change").filter(pk=pk).exists():
        if owns(record) and record.state not in EDITABLE_STATES:
            raise WorkflowError(
                _("This is %(state)s and can no longer be changed.") % {"state": record.get_state_display()}
            )
        raise PermissionDenied
    return record
