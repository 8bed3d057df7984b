"""The duplicate check at intake: whether a file on the same person may already exist (same
identity document number, or same name and date of birth, through their keyed hashes), told to the
case officer as little as it takes, at a limited rate, each asking in the audit log."""

from __future__ import annotations

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django_ratelimit.core import get_usage

from cases.models.case_files import CaseFile
from core.audit import audit_about
from core.crypto import blind_index

# How often one case officer may be told whether a file on a person exists is the setting
# CASE_DUPLICATE_CHECK_RATE: the warning at intake is a question about every agency's files, so it
# is limited and each asking is in the audit log.


class PossibleDuplicate(Exception):
    """A file for the same person probably exists; the user must confirm to create another.

    Of another agency's files it says only that one may exist, never its number, agency or count."""

    def __init__(self, own: list[str], elsewhere: bool):
        self.own, self.elsewhere = own, bool(elsewhere)
        parts = []
        if own:
            parts.append(_("your agency already has a file that may be this person: %s") % ", ".join(own))
        if elsewhere:
            parts.append(_("a file may exist elsewhere; contact the IMCS Office"))
        super().__init__(_("Possible duplicate: %s.") % "; ".join(parts))


class DuplicateCheckLimited(Exception):
    """The actor asked for too many duplicate checks lately: this intake was not checked; it can
    still be saved by confirming, as after a warning."""

    def __init__(self, limit: int, seconds_left: int):
        self.limit, self.seconds_left = limit, seconds_left
        minutes = max(1, -(-seconds_left // 60))
        super().__init__(
            ngettext(
                "The duplicate check was not made: you have reached the limit of %(limit)s checks "
                "an hour. The next check is possible in %(minutes)s minute.",
                "The duplicate check was not made: you have reached the limit of %(limit)s checks "
                "an hour. The next check is possible in %(minutes)s minutes.",
                minutes,
            )
            % {"limit": limit, "minutes": minutes}
        )


def identity_indexes(data: dict) -> dict[str, str]:
    """The keyed hashes a file is found by: its document number, its name with the birth date."""
    birth = data["date_of_birth"].isoformat() if data.get("date_of_birth") else ""
    return {
        "id_number_index": blind_index(data.get("id_number") or ""),
        "name_birth_index": blind_index(data.get("name") or "", birth),
    }


def find_duplicates(actor, data: dict) -> tuple[list[str], bool]:
    """Files that are probably this person: same document number, or same name and birth date.
    The actor's own files by number, and whether another agency has one: never how many, so other
    agencies' files are not even read (however many share a common name and birth date)."""
    matches = CaseFile.objects.probably_the_person(actor, **identity_indexes(data))
    own = matches.filter(owner_agency_id=actor.agency_id).order_by("number").values_list("number", flat=True)
    return list(own), matches.exclude(owner_agency_id=actor.agency_id).exists()


def duplicate_check(*, actor, data: dict) -> None:
    """Tell the actor whether a file on this person may exist (``PossibleDuplicate``), at most
    ``CASE_DUPLICATE_CHECK_RATE`` times (else ``DuplicateCheckLimited``). Every asking is in the audit log
    with its outcome (none, own, elsewhere, both or limited), never with the number asked about.

    The entry is written in its own transaction: a warning stops the intake, the entry stays."""
    rate = settings.CASE_DUPLICATE_CHECK_RATE
    usage = get_usage(
        None, group="cases.duplicate_check", key=lambda _group, _request: str(actor.pk), rate=rate,
        increment=True,
    )  # fmt: skip
    if usage and usage["should_limit"]:
        outcome, own, elsewhere = "limited", [], False
    else:
        own, elsewhere = find_duplicates(actor, data)
        outcome = {(False, False): "none", (True, False): "own", (False, True): "elsewhere"}.get(
            (bool(own), elsewhere), "own_and_elsewhere"
        )
    with transaction.atomic():
        audit_about(user=actor, action="duplicate_check", model=CaseFile, detail={"result": outcome})
    if outcome == "limited":
        raise DuplicateCheckLimited(usage["limit"], usage["time_left"])
    if own or elsewhere:
        raise PossibleDuplicate(own, elsewhere)
