"""How a reviewed record is reviewed: the one skeleton of progress entries and quarterly reports.

A reviewed record (``core.models.ReviewedRecord``) belongs to an owner: a member unit (its liaison
officers log progress entries) or a province (its reporters fill quarterly reports). Its life:

    draft ──submit──▶ submitted ──accept──▶ accepted
                        │   ▲                  │
                  return│   │submit            │reopen (where the type allows it)
                        ▼   │                  │
                      returned ◀───────────────┘

The owner saves and submits while the record is a draft or returned (``EDITABLE_STATES``); the IMCS
Office (``REVIEW``) decides on it; every save and decision grows ``version``, so that a second
person writing over a change they have not seen is refused (``EditConflict``, 409).

A record type states only what differs, in a ``ReviewedRecordType``: its model, who owns it, the
decisions the Office may take on it, the comment each decision needs, whom to tell and where the
record's page is. A service builds its steps from these, inside its own transaction:

- ``record_lock``: the row, locked, if the user may see it (404) and, for a change, still change it
  (the owner is told why not, with the one wording of ``no_longer_editable``; anyone else 403);
- ``record_open``: a new record, or the saved one locked and checked against the version read;
- ``record_save`` then ``values_save``: the record, then its values, skipping unchanged ones;
- ``record_saved``: the change kept in the history (``core.history``), and the submission if asked;
- ``record_submit``: to the Office, after a save; ``record_submit_saved``: the record as saved,
  as a new version; ``record_decide``: accept, return or reopen, with the history row
  and the owner's notification.

The page view (``core.views.reviewed``) and the API viewset (``core.api.reviewed``) of a decision
are written once beside these.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from core import clock
from core.choices import EDITABLE_STATES, ReviewState
from core.history import change_record
from core.notify import notify, people_with
from core.permissions import CHANGE, REVIEW, VIEW, allows, may

# The longest comment a decision keeps (a page or an API call sending more is told, naming the field).
MAX_COMMENT = 5000


class WorkflowError(Exception):
    """An action the record's state does not allow; the message says why."""


class EditConflict(Exception):
    """Someone saved the record since the user opened it: the user's change was not applied."""

    def __init__(self, record, *, deciding: bool = False):
        self.record = record
        who = record.updated_by.get_full_name() or record.updated_by.username
        params = {"who": who, "when": date_format(timezone.localtime(record.updated_at), "DATETIME_FORMAT")}
        if deciding:  # the one deciding changed nothing: they decided on what they no longer see
            message = _(
                "This was changed after you opened it (last saved by %(who)s at %(when)s). Nothing "
                "was decided: look at it again, then decide."
            )
        else:
            message = _(
                "%(who)s saved this at %(when)s, after you opened it. Your changes were not saved: "
                "compare them with what is saved now and save again."
            )
        super().__init__(message % params)


@dataclass(frozen=True)
class Decision:
    """One decision of the Office: from which state to which, and the history's word for it."""

    expected: str
    state: str
    action: str


DECISIONS = {
    "accept": Decision(ReviewState.SUBMITTED, ReviewState.ACCEPTED, "accepted"),
    "return": Decision(ReviewState.SUBMITTED, ReviewState.RETURNED, "returned"),
    # An accepted record is frozen; reopening sends it back to its owner for correction.
    "reopen": Decision(ReviewState.ACCEPTED, ReviewState.RETURNED, "reopened"),
}


@dataclass(frozen=True)
class ReviewedRecordType:
    """What one kind of reviewed record states about itself; the steps are the same for all.

    ``owner_field`` names the same attribute on the user and on the record (``unit_id``,
    ``province_id``): the record belongs to the users of that unit or province who have
    ``owner_capability``. ``titles`` holds, for each decision the Office may take on this type, the
    owner's notification (a ``gettext_noop`` msgid over ``notice_params(record)``);
    ``comment_required`` the refusal when a decision that needs a comment has none; ``link(record)``
    the record's page, where the notification leads. Every type states all of them. ``decider``,
    where given, says who decides on a record (a quarterly report of a prefecture is decided by its
    province's reporters); by default the Office (``REVIEW``) decides.
    """

    model: type
    owner_capability: str
    owner_field: str
    titles: dict[str, str]
    comment_required: dict[str, str]
    notice_params: Callable[[object], dict]
    link: Callable[[object], str]
    decider: Callable[[object, object], bool] | None = None
    # Where a record is decided by someone else than the Office: the owner's notice for each
    # decision and the comment's line, for that record (msgids); by default ``titles`` and the Office's.
    notice_wording: Callable[[object], dict[str, str]] | None = None

    def notice(self, record, decision: str) -> tuple[str, str]:
        """The title and the comment's line (msgids) of the owner's notice of ``decision``."""
        wording = self.notice_wording(record) if self.notice_wording else {}
        return (
            wording.get(decision, self.titles[decision]),
            wording.get("comment", gettext_noop("Comment of the Office: %(comment)s")),
        )

    def decides(self, user, record) -> bool:
        """Whether ``user`` is the one who decides on ``record`` (accepts, returns, reopens)."""
        return self.decider(user, record) if self.decider else may(user, REVIEW)

    def owns(self, user, record) -> bool:
        """Whether ``record`` belongs to ``user`` (their unit's or province's, and theirs to write)."""
        return may(user, self.owner_capability) and getattr(user, self.owner_field) == getattr(
            record, self.owner_field
        )

    def may_edit(self, user, record) -> bool:
        return self.owns(user, record) and record.is_editable

    def may_decide(self, user, record, decision: str) -> bool:
        """Whether ``user`` may take ``decision`` on ``record`` now (for showing the buttons)."""
        return (
            decision in self.titles
            and record.state == DECISIONS[decision].expected
            and self.decides(user, record)
        )

    def owners(self, record):
        """The users to tell about a decision on ``record``."""
        return people_with(
            self.owner_capability, **{f"agency__{self.owner_field}": getattr(record, self.owner_field)}
        )


def no_longer_editable(record) -> str:
    """The one wording for a record its owner can no longer change (services, pages, uploads)."""
    return _("This is %(state)s and can no longer be changed.") % {"state": record.state_label}


def check_version(record, version: int | None, *, deciding: bool = False) -> None:
    """Refuse a change made against another version than the one saved; 0 means "there was none
    yet" (a form opened before someone else created the record). ``None``: no check (an explicit
    replacement, such as an uploaded spreadsheet)."""
    if version is not None and version != record.version:
        raise EditConflict(record, deciding=deciding)


def record_lock(record_type: ReviewedRecordType, actor, pk: int, *, change: bool):
    """The record, locked for the transaction, if the actor may see it (else 404); with
    ``change``, also if the actor may still change it: an owner whose record is no longer editable
    is told why, anyone else gets 403."""
    record = (
        record_type.model.objects.restrict(actor, VIEW).select_for_update(of=("self",)).filter(pk=pk).first()
    )
    if record is None:
        raise Http404
    if change and not allows(actor, CHANGE, record):
        if record_type.owns(actor, record) and not record.is_editable:
            raise WorkflowError(no_longer_editable(record))
        raise PermissionDenied
    return record


def record_open(record_type: ReviewedRecordType, actor, existing, *, version: int | None, now, **new):
    """The record a save writes to, and whether it is new.

    With none saved yet, a new one (``new`` holds its owner and period), if the user expected none
    (``version`` 0 or ``None``; otherwise the record they edited is gone: 404). Else the saved one,
    locked, if the actor may still change it and read the version saved now (409 if not).
    """
    if existing is None:
        if version not in (None, 0):
            raise Http404
        return record_type.model(version=0, created_at=now, **new), True
    record = record_lock(record_type, actor, existing.pk, change=True)
    check_version(record, version)  # version 0: the user expected none, someone created it
    return record, False


def record_save(record, *, actor, now) -> None:
    """Save the record's own fields as a new version."""
    record.version += 1
    record.updated_at, record.updated_by = now, actor
    record.save()


def _empty(value) -> bool:
    return value in ("", None)


def values_save(rows, *, key_field: str, keys: dict, given: dict, saved: dict, value_field="value") -> None:
    """Write a record's values (figures, narratives), one row per key, through ``rows`` (the
    record's related manager: ``entry.figures``, ``report.narratives``).

    ``given`` maps a key's code to its new value, ``saved`` to the value saved now, ``keys`` to the
    key's object (a figure, an area). The one rule: a value equal to the saved one is not written
    (nothing and an empty text are the same); an empty one deletes its row.
    """
    for code, value in given.items():
        before = saved.get(code)
        if value == before or (_empty(value) and _empty(before)):
            continue
        if _empty(value):
            rows.filter(**{key_field: keys[code]}).delete()
        else:
            rows.update_or_create(**{key_field: keys[code]}, defaults={value_field: value})


def record_saved(*, actor, record, created: bool, changes: dict, submit: bool, now) -> None:
    """Keep a save in the history (a new record always; an existing one when something changed),
    then submit the record if asked."""
    if created or changes:
        change_record(actor=actor, obj=record, action="created" if created else "edited", changes=changes)
    if submit:
        record_submit(actor=actor, record=record, now=now)


def record_submit(*, actor, record, now) -> None:
    """Send a draft or returned record to the Office (inside the caller's transaction)."""
    if record.state not in EDITABLE_STATES:
        raise WorkflowError(
            _("This is %(state)s: only a draft or a returned one can be submitted.")
            % {"state": record.state_label}
        )
    # A returned record stays returned, its comment visible, until it is submitted again.
    resubmitted = record.state == ReviewState.RETURNED
    record.state = ReviewState.SUBMITTED
    record.submitted_at, record.submitted_by = now, actor
    record.first_submitted_at = record.first_submitted_at or now
    record.save(update_fields=["state", "submitted_at", "submitted_by", "first_submitted_at"])
    change_record(actor=actor, obj=record, action="resubmitted" if resubmitted else "submitted")


def record_submit_saved(*, actor, record, now) -> None:
    """Send the record as saved to the Office, as a new version (so that a form opened before the
    submission is stale), inside the caller's transaction."""
    record.version += 1
    record.save(update_fields=["version"])
    record_submit(actor=actor, record=record, now=now)


def record_decide(
    record_type: ReviewedRecordType,
    *,
    actor,
    record_id: int,
    decision: str,
    version: int | None,
    comment: str,
    action: str | None = None,
):
    """The Office's ``decision`` ("accept", "return", "reopen") on a record (inside the caller's
    transaction): kept in the history with its comment, told to the record's owners.

    A decision that needs a comment is refused without one (400); a record the actor may not see is
    404; only its decider decides (the Office by default; 403 for anyone else who sees it); a
    stale version or a record in another state is 409. ``action`` is the history's word for it,
    where the type says it otherwise (a level below the province "approved", not "accepted").
    """
    step = DECISIONS[decision]
    comment = (comment or "").strip()
    if decision in record_type.comment_required and not comment:
        raise ValidationError({"comment": [str(record_type.comment_required[decision])]})
    if len(comment) > MAX_COMMENT:
        raise ValidationError(
            {"comment": [_("Keep the comment to %(count)d characters at most.") % {"count": MAX_COMMENT}]}
        )
    record = record_lock(record_type, actor, record_id, change=False)
    if decision not in record_type.titles or not record_type.decides(actor, record):
        raise PermissionDenied
    check_version(record, version, deciding=True)
    if record.state != step.expected:
        raise WorkflowError(
            _("This is %(state)s: that decision is not possible.") % {"state": record.state_label}
        )
    record.state = step.state
    record.review_comment = comment
    record.reviewed_at, record.reviewed_by = clock.now(), actor
    record.version += 1
    record.save(update_fields=["state", "review_comment", "reviewed_at", "reviewed_by", "version"])
    change_record(actor=actor, obj=record, action=action or step.action, comment=record.review_comment)
    title, comment_line = record_type.notice(record, decision)
    notify(
        record_type.owners(record),
        title=title,
        body=comment_line if record.review_comment else "",
        params={**record_type.notice_params(record), "comment": record.review_comment},
        link=record_type.link(record),
    )
    return record
