"""The library of good practices: a unit or a province proposes a practice, the IMCS Office publishes
it (accepts), returns it with a comment, or takes a published one back out (reopens, with a reason).

The steps are the reviewed records' skeleton (``core.workflow``); ``GOOD_PRACTICE`` states what is
particular to practices: they are owned as the coordination records are (``measures.models.owners``:
a unit's liaison officers, or the reporting officers of a province's own office), accepting one
publishes it (``published_at``) and reopening one takes it out of the library. Every function takes
the acting user, runs in one transaction, re-checks the user's rights on the locked row inside it,
and keeps the change in the history in that same transaction: a bad value or file saves nothing.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop

from agencies.choices import DivisionLevel
from agencies.models import Province
from core import clock
from core.history import field_changes, in_both_languages
from core.notify import people_with
from core.permissions import LOG_PROGRESS, REPORT_QUARTERLY
from core.uploads import check_document
from core.workflow import (
    ReviewedRecordType,
    check_version,
    record_decide,
    record_lock,
    record_open,
    record_save,
    record_saved,
    record_submit_saved,
)
from measures.models import Area, GoodPractice, Measure, PracticeAttachment
from measures.models.owners import Owner, owner_of

# Bounds of one practice (a page or an API call sending more is told, naming the field).
MAX_SUMMARY = 10_000  # characters of each language's summary
MAX_MEASURES = 20
MAX_ATTACHMENTS = 10  # files a practice holds at most; each at most EVIDENCE_MAX_BYTES


@dataclass(frozen=True)
class CoordinationRecordType(ReviewedRecordType):
    """A reviewed record owned as the coordination records are: by a member unit or by a province
    (``owner_of``), not by one attribute shared by the user and the record. ``owner_capability``
    and ``owner_field`` are not read."""

    def owns(self, user, record) -> bool:
        owner = owner_of(user)
        return owner is not None and owner == Owner(unit_id=record.unit_id, province_id=record.province_id)

    def owners(self, record):
        if record.unit_id:
            return people_with(LOG_PROGRESS, agency__unit_id=record.unit_id)
        return people_with(
            REPORT_QUARTERLY,
            agency__province_id=record.province_id,
            agency__division__level=DivisionLevel.PROVINCE,
        )


GOOD_PRACTICE = CoordinationRecordType(
    model=GoodPractice,
    owner_capability=LOG_PROGRESS,
    owner_field="unit_id",
    titles={
        "accept": gettext_noop("Your good practice “%(title)s” was published in the library"),
        "return": gettext_noop("Your good practice “%(title)s” was returned: please revise and resubmit"),
        "reopen": gettext_noop("Your good practice “%(title)s” was taken out of the library for revision"),
    },
    comment_required={
        "return": gettext_lazy("Say what should be revised: a returned practice needs a comment."),
        "reopen": gettext_lazy("Give the reason for taking a published practice out of the library."),
    },
    notice_params=lambda practice: {"title": str(practice)},
    link=lambda practice: reverse("measures:practice", kwargs={"pk": practice.pk}),
)

TEXT_FIELDS = ("title_zh", "title_en", "summary_zh", "summary_en")


def _validate(practice: GoodPractice, measures: list[Measure], *, submitting: bool) -> None:
    """Refuse what the practice may not hold, each message by the field it names."""
    errors: dict[str, list[str]] = {}
    lengths = {
        "title_zh": GoodPractice._meta.get_field("title_zh").max_length,
        "title_en": GoodPractice._meta.get_field("title_en").max_length,
        "summary_zh": MAX_SUMMARY,
        "summary_en": MAX_SUMMARY,
    }
    for name, limit in lengths.items():
        if len(getattr(practice, name)) > limit:
            errors.setdefault(name, []).append(
                _("Keep it to %(count)d characters at most.") % {"count": limit}
            )
    if not practice.title_zh and not practice.title_en:
        errors.setdefault("title_zh", []).append(_("Give the practice a title, in Chinese or in English."))
    if len(measures) > MAX_MEASURES:
        errors.setdefault("measures", []).append(
            _("Choose at most %(count)d measures.") % {"count": MAX_MEASURES}
        )
    elsewhere = [m.label for m in measures if m.area_id != practice.area_id]
    if elsewhere:
        errors.setdefault("measures", []).append(
            _("%(measures)s: not a measure of the area chosen (%(area)s).")
            % {"measures": ", ".join(elsewhere), "area": practice.area}
        )
    if submitting and not practice.summary_zh.strip() and not practice.summary_en.strip():
        errors.setdefault("summary_zh", []).append(
            _("Describe the practice, in Chinese or in English, before submitting it.")
        )
    if errors:
        raise ValidationError(errors)


def _checked_files(new_files, before_files, remove_ids) -> list[tuple]:
    """Each new file checked as evidence files are (kind by content, size), at most
    ``MAX_ATTACHMENTS`` in all, none held twice; all refused together, naming each file."""
    checked, errors = [], []
    for upload in new_files:
        try:
            checked.append((upload, *check_document(upload, max_bytes=settings.EVIDENCE_MAX_BYTES)))
        except ValidationError as error:
            errors.extend(error.messages)
    kept = {sha: name for pk, name, sha in before_files if pk not in remove_ids}
    if len(kept) + len(new_files) > MAX_ATTACHMENTS:
        errors.append(
            _("A practice holds at most %(count)d files: remove one before adding another.")
            % {"count": MAX_ATTACHMENTS}
        )
    for upload, _content_type, sha256 in checked:
        if sha256 in kept:
            errors.append(
                _("“%(file)s” is the same file as “%(earlier)s”: it is attached once.")
                % {"file": upload.name, "earlier": kept[sha256]}
            )
        kept[sha256] = upload.name
    if errors:
        raise ValidationError({"attachments": errors})
    return checked


def _snapshot(practice: GoodPractice, measures: Iterable[Measure]) -> dict:
    """The practice's values as the history writes them (names, not ids, in both languages)."""
    ordered = sorted(measures, key=lambda m: m.seq)
    province = practice.practice_province_id and in_both_languages(lambda: str(practice.practice_province))
    return {
        **{name: getattr(practice, name) for name in TEXT_FIELDS},
        "area": in_both_languages(lambda: str(practice.area)) if practice.area_id else None,
        "measures": in_both_languages(lambda: ", ".join(m.label for m in ordered)),
        "practice_province": province,
    }


@transaction.atomic
def good_practice_save(
    *,
    actor,
    practice_id: int | None = None,
    version: int | None,
    title_zh: str = "",
    title_en: str = "",
    summary_zh: str = "",
    summary_en: str = "",
    area: Area,
    measures: Iterable[Measure] = (),
    practice_province: Province | None = None,
    new_files: Iterable = (),
    remove_file_ids: Iterable[int] = (),
    submit: bool = False,
) -> GoodPractice:
    """Propose a practice for the actor's unit or province (``practice_id`` None), or change the
    draft or returned one named; optionally submit it to the Office.

    A province's practice is practised in that province unless another is named. All or nothing: a
    bad value, a bad file or a stale ``version`` (409) leaves the practice as it was.
    """
    owner = owner_of(actor)
    if owner is None:
        raise PermissionDenied
    now = clock.now()
    if practice_id is None:
        practice, created = record_open(GOOD_PRACTICE, actor, None, version=version, now=now, **owner.fields)
        before, before_files = {}, []
    else:
        practice, created = record_lock(GOOD_PRACTICE, actor, practice_id, change=True), False
        check_version(practice, version)
        before = _snapshot(practice, practice.measures.all())
        before_files = list(practice.attachments.values_list("pk", "original_name", "sha256"))
    new_files = list(new_files)
    remove_ids = set(remove_file_ids) & {pk for pk, _name, _sha in before_files}
    measures = list({m.pk: m for m in measures}.values())

    for name, value in zip(TEXT_FIELDS, (title_zh, title_en, summary_zh, summary_en), strict=True):
        setattr(practice, name, (value or "").strip())
    practice.area = area
    if practice_province is None and owner.province_id:
        practice_province = Province.objects.get(pk=owner.province_id)
    practice.practice_province = practice_province
    errors: dict[str, list[str]] = {}
    try:
        _validate(practice, measures, submitting=submit)
    except ValidationError as error:
        errors.update(error.message_dict)
    try:  # the files are checked even when a field is wrong, so that all is said at once
        checked = _checked_files(new_files, before_files, remove_ids)
    except ValidationError as error:
        errors.update(error.message_dict)
    if errors:
        raise ValidationError(errors)

    changes = field_changes(before, _snapshot(practice, measures))
    added = [upload.name for upload, *_rest in checked]
    removed = [name for pk, name, _sha in before_files if pk in remove_ids]
    if added:
        changes["evidence.added"] = [None, ", ".join(added)]
    if removed:
        changes["evidence.removed"] = [", ".join(removed), None]
    if not created and not changes:  # nothing changed: no new version, no history row
        if submit:
            record_submit_saved(actor=actor, record=practice, now=now)
        return practice
    record_save(practice, actor=actor, now=now)
    practice.measures.set(measures)
    practice.attachments.filter(pk__in=remove_ids).delete()
    for upload, content_type, sha256 in checked:
        PracticeAttachment.objects.create(
            practice=practice,
            file=upload,
            original_name=upload.name[:255],
            content_type=content_type,
            size=upload.size,
            sha256=sha256,
            uploaded_by=actor,
            uploaded_at=now,
        )
    record_saved(actor=actor, record=practice, created=created, changes=changes, submit=submit, now=now)
    return practice


@transaction.atomic
def good_practice_submit(*, actor, practice_id: int, version: int | None) -> GoodPractice:
    """Send a draft or returned practice to the Office, if it has a summary."""
    practice = record_lock(GOOD_PRACTICE, actor, practice_id, change=False)
    if not GOOD_PRACTICE.owns(actor, practice):
        raise PermissionDenied
    check_version(practice, version)
    if practice.is_editable:
        _validate(practice, list(practice.measures.all()), submitting=True)
    record_submit_saved(actor=actor, record=practice, now=clock.now())
    return practice


def _decide(*, actor, practice_id: int, decision: str, version: int | None, comment: str) -> GoodPractice:
    practice = record_decide(
        GOOD_PRACTICE, actor=actor, record_id=practice_id, decision=decision, version=version, comment=comment
    )
    # Accepting publishes the practice (the library's newest first); reopening takes it out.
    practice.published_at = practice.reviewed_at if decision == "accept" else None
    practice.save(update_fields=["published_at"])
    return practice


@transaction.atomic
def good_practice_accept(*, actor, practice_id: int, version: int | None, comment: str = "") -> GoodPractice:
    """The Office publishes a submitted practice in the library."""
    return _decide(actor=actor, practice_id=practice_id, decision="accept", version=version, comment=comment)


@transaction.atomic
def good_practice_return(*, actor, practice_id: int, version: int | None, comment: str) -> GoodPractice:
    """The Office returns a submitted practice to its owner, saying what to revise."""
    return _decide(actor=actor, practice_id=practice_id, decision="return", version=version, comment=comment)


@transaction.atomic
def good_practice_reopen(*, actor, practice_id: int, version: int | None, comment: str) -> GoodPractice:
    """The Office takes a published practice out of the library, back to its owner, with a reason."""
    return _decide(actor=actor, practice_id=practice_id, decision="reopen", version=version, comment=comment)
