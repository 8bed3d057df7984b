"""Cooperation agreements (2.(3)): recording and changing an agreement with its parties.

The IMCS Office records any agreement; the reporting officers of a province's own office record and
change only those their province is party to (``CooperationAgreement.objects.restrict``). A save is
all or nothing: every field and every party is checked before anything is written, the agreement,
its measures and its parties are written in one transaction, the change is kept in the history
(skipped when nothing changed), and a stale ``version`` is refused (``EditConflict``, 409).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from agencies.models import Province
from core import clock
from core.history import change_record, field_changes, in_both_languages
from core.permissions import CHANGE, REVIEW, VIEW, allows, may
from core.uploads import check_document
from core.workflow import check_version
from measures.choices import AgreementKind, AgreementStatus, ForeignPartyKind
from measures.models import AgreementParty, CooperationAgreement, Measure
from measures.models.owners import owner_of

# Bounds of one agreement (a page or an API call sending more is told, naming the field).
MAX_PARTIES = 40
MAX_MEASURES = 60
MAX_SUMMARY = 10_000
EARLIEST = dt.date(1980, 1, 1)

# How the history names what is not a column of the agreement.
HISTORY_LABELS = {
    "measures": gettext_lazy("measures it serves"),
    "parties": gettext_lazy("parties"),
    "document": gettext_lazy("document"),
}


@dataclass
class PartyInput:
    """A party as given: a province, or a country or international organisation (its kind and a
    name in Chinese or English). ``ref`` names the party's place in the request (``parties.2``)."""

    province: Province | None = None
    foreign_kind: str = ""
    foreign_name_zh: str = ""
    foreign_name_en: str = ""
    ref: str = ""

    @property
    def is_empty(self) -> bool:
        return not (
            self.province or self.foreign_kind or self.foreign_name_zh.strip() or self.foreign_name_en.strip()
        )


@dataclass
class AgreementInput:
    """What an agreement holds, as a page or the API gives it."""

    title_zh: str
    title_en: str
    kind: str
    signed_on: dt.date | None
    status: str
    summary: str
    measures: list[Measure]
    parties: list[PartyInput]


def may_record_agreements(user) -> bool:
    """Whether ``user`` records agreements at all: the Office, or a province's own reporting officers."""
    if may(user, REVIEW):
        return True
    owner = owner_of(user)
    return bool(owner and owner.province_id)


def _text(errors: dict, key: str, value: str, limit: int) -> None:
    if len(value) > limit:
        errors.setdefault(key, []).append(_("Keep this to %(count)d characters at most.") % {"count": limit})


def _party_ref(party: PartyInput, index: int) -> str:
    return party.ref or f"parties.{index}"


def _validate(actor, given: AgreementInput) -> list[PartyInput]:
    """Every refusal at once, each by the field it names (``parties.2.foreign_name_zh``); the
    parties that are not empty rows of a form."""
    errors: dict[str, list[str]] = {}
    if not given.title_zh.strip() and not given.title_en.strip():
        errors.setdefault("title_zh", []).append(_("Give the title in Chinese, in English, or in both."))
    _text(errors, "title_zh", given.title_zh, 200)
    _text(errors, "title_en", given.title_en, 300)
    _text(errors, "summary", given.summary, MAX_SUMMARY)
    if given.kind not in AgreementKind.values:
        errors.setdefault("kind", []).append(_("Choose a kind from the list."))
    if given.status not in AgreementStatus.values:
        errors.setdefault("status", []).append(_("Choose a status from the list."))
    if given.signed_on is None:
        errors.setdefault("signed_on", []).append(_("Enter the date it was signed."))
    elif given.signed_on > clock.today():
        errors.setdefault("signed_on", []).append(_("The date it was signed cannot be in the future."))
    elif given.signed_on < EARLIEST:
        errors.setdefault("signed_on", []).append(_("Enter a date from 1980 on."))
    if len(given.measures) > MAX_MEASURES:
        errors.setdefault("measures", []).append(
            _("An agreement serves at most %(count)d measures.") % {"count": MAX_MEASURES}
        )
    parties = [party for party in given.parties if not party.is_empty]
    if len(given.parties) > MAX_PARTIES:
        errors.setdefault("parties", []).append(
            _("An agreement has at most %(count)d parties.") % {"count": MAX_PARTIES}
        )
    elif len(parties) < 2:
        errors.setdefault("parties", []).append(_("An agreement has at least two parties."))
    seen: set[int] = set()
    for index, party in enumerate(given.parties):
        if party.is_empty:
            continue
        ref = _party_ref(party, index)
        if party.province is not None:
            if party.foreign_kind or party.foreign_name_zh.strip() or party.foreign_name_en.strip():
                errors.setdefault(f"{ref}.province", []).append(
                    _("A party is a province or a party abroad, not both.")
                )
            if party.province.pk in seen:
                errors.setdefault(f"{ref}.province", []).append(_("This province is a party already."))
            seen.add(party.province.pk)
            continue
        if party.foreign_kind not in ForeignPartyKind.values:
            errors.setdefault(f"{ref}.foreign_kind", []).append(
                _("Choose a province, or the kind of party abroad (a country or an organisation).")
            )
        if not party.foreign_name_zh.strip() and not party.foreign_name_en.strip():
            errors.setdefault(f"{ref}.foreign_name_zh", []).append(
                _("Name the party abroad, in Chinese, in English, or in both.")
            )
        _text(errors, f"{ref}.foreign_name_zh", party.foreign_name_zh, 200)
        _text(errors, f"{ref}.foreign_name_en", party.foreign_name_en, 200)
    if len(parties) >= 2 and not seen:
        errors.setdefault("parties", []).append(_("At least one party is a province."))
    owner = owner_of(actor)
    if not may(actor, REVIEW) and owner and owner.province_id and parties and owner.province_id not in seen:
        errors.setdefault("parties", []).append(
            _("You record the agreements your province is party to: name it among the parties.")
        )
    if errors:
        raise ValidationError(errors)
    return parties


def _party_text(party) -> str:
    if party.province is not None:
        return party.province.name
    name = " / ".join(n for n in (party.foreign_name_zh.strip(), party.foreign_name_en.strip()) if n)
    return f"{name} ({ForeignPartyKind(party.foreign_kind).label})"


def _parties_key(parties) -> list[tuple]:
    return sorted(
        (
            p.province.code if p.province else "",
            p.foreign_kind,
            p.foreign_name_zh.strip(),
            p.foreign_name_en.strip(),
        )
        for p in parties
    )


def _snapshot(record: CooperationAgreement, measures, parties) -> dict:
    return {
        "title_zh": record.title_zh,
        "title_en": record.title_en,
        "kind": record.kind,
        "signed_on": record.signed_on.isoformat() if record.signed_on else None,
        "status": record.status,
        "summary": record.summary,
        "document": record.document_name,
        "measures": in_both_languages(
            lambda: ", ".join(m.label for m in sorted(measures, key=lambda m: (m.plan_id, m.seq)))
        ),
        "parties": in_both_languages(lambda: "; ".join(sorted(_party_text(p) for p in parties))),
    }


def _check_document(upload) -> tuple[str, str]:
    try:
        return check_document(upload, max_bytes=settings.EVIDENCE_MAX_BYTES)
    except ValidationError as error:
        raise ValidationError({"document": error.messages}) from error


def _locked(actor, agreement_id: int) -> CooperationAgreement:
    """The agreement, locked, if the actor sees it (else 404) and may change it (else 403)."""
    record = (
        CooperationAgreement.objects.restrict(actor, VIEW)
        .select_for_update(of=("self",))
        .filter(pk=agreement_id)
        .first()
    )
    if record is None:
        raise Http404
    if not allows(actor, CHANGE, record):
        raise PermissionDenied
    return record


@transaction.atomic
def agreement_save(
    *,
    actor,
    agreement_id: int | None,
    version: int | None,
    data: AgreementInput,
    document=None,
    remove_document: bool = False,
) -> CooperationAgreement:
    """Record a new agreement (``agreement_id`` None) or change a saved one, with its measures and
    the whole list of its parties; keep the change in the history.

    Refused, with nothing written: a user who records no agreements (403), an agreement the actor
    does not see (404) or may not change (403), a stale ``version`` (``EditConflict``), a bad value
    (``ValidationError`` naming each field).
    """
    now = clock.now()
    if agreement_id is None:
        if not may_record_agreements(actor):
            raise PermissionDenied
        record = CooperationAgreement(version=0, created_at=now, created_by=actor)
        before: dict = {}
        saved_parties: list[AgreementParty] = []
    else:
        record = _locked(actor, agreement_id)
        check_version(record, version)
        saved_parties = list(record.parties.select_related("province"))
        before = _snapshot(record, list(record.measures.all()), saved_parties)
    parties = _validate(actor, data)
    checked = _check_document(document) if document else None

    record.title_zh, record.title_en = data.title_zh.strip(), data.title_en.strip()
    record.kind, record.status, record.signed_on = data.kind, data.status, data.signed_on
    record.summary = data.summary.strip()
    if (checked or remove_document) and record.document:
        old_file = record.document.name
        # The old file goes once the change is kept (a rolled-back save keeps it).
        transaction.on_commit(lambda: record.document.storage.delete(old_file))
        record.document, record.document_name = "", ""
        record.document_type, record.document_sha256 = "", ""
    if checked:
        record.document = document
        record.document_name = document.name[:255]
        record.document_type, record.document_sha256 = checked
    changes = field_changes(before, _snapshot(record, data.measures, parties))
    if agreement_id is not None and not changes:
        return record  # nothing changed: no new version, no history row
    record.version += 1
    record.updated_at, record.updated_by = now, actor
    record.save()
    record.measures.set(data.measures)
    if _parties_key(saved_parties) != _parties_key(parties):
        record.parties.all().delete()
        AgreementParty.objects.bulk_create(
            AgreementParty(
                agreement=record,
                province=p.province,
                foreign_kind="" if p.province else p.foreign_kind,
                foreign_name_zh="" if p.province else p.foreign_name_zh.strip(),
                foreign_name_en="" if p.province else p.foreign_name_en.strip(),
            )
            for p in parties
        )
    change_record(
        actor=actor, obj=record, action="created" if agreement_id is None else "edited", changes=changes
    )
    return record
