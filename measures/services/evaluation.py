"""Evaluation rounds (Part Five of the plan): the Office opens and closes them, units assess their
measures, the Office assesses each measure.

Every function takes the acting user and runs in one transaction. Each write first locks the
round's row and checks that it is open; ``evaluation_round_close`` takes the same lock, so once a
round is closed no save can be applied to it, not even one that started before it closed.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.http import Http404
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from core import clock
from core.history import change_record, field_changes
from core.permissions import LOG_PROGRESS, REVIEW, may
from core.uploads import check_document
from core.workflow import WorkflowError, check_version
from measures.choices import EvaluationKind, EvaluationRating, EvaluationState, ResponsibilityRole
from measures.models import EvaluationRound, Measure, OfficeAssessment, Plan, SelfAssessment


def _round_for_writing(actor, round_id: int) -> EvaluationRound:
    """The round, locked for this transaction, if the actor may see it (else 404) and it is open."""
    evaluation_round = (
        EvaluationRound.objects.restrict(actor).select_for_update(of=("self",)).filter(pk=round_id).first()
    )
    if evaluation_round is None:
        raise Http404
    if evaluation_round.state == EvaluationState.CLOSED:
        raise WorkflowError(
            _("“%(round)s” was closed on %(date)s: its assessments are frozen and can no longer be changed.")
            % {
                "round": evaluation_round.title,
                "date": formats.date_format(timezone.localtime(evaluation_round.closed_at), "Y-m-d"),
            }
        )
    return evaluation_round


def _check_measure(evaluation_round: EvaluationRound, measure: Measure) -> None:
    if measure.plan_id != evaluation_round.plan_id:
        raise ValidationError({"measure": [_("This measure is not part of the plan being evaluated.")]})


@transaction.atomic
def evaluation_round_open(
    *,
    actor,
    plan: Plan,
    kind: str,
    title_zh: str,
    title_en: str,
    opens_on: dt.date,
    due_on: dt.date,
) -> EvaluationRound:
    """The Office opens a mid-term or final evaluation of ``plan``, titled in both languages."""
    if not may(actor, REVIEW):
        raise PermissionDenied
    title_zh, title_en = (title_zh or "").strip(), (title_en or "").strip()
    errors: dict[str, list[str]] = {}
    if kind not in EvaluationKind.values:
        errors["kind"] = [_("Choose the kind of evaluation from the list.")]
    if not title_zh:
        errors["title_zh"] = [_("Give the round a title in Chinese.")]
    if not title_en:
        errors["title_en"] = [_("Give the round a title in English.")]
    if opens_on and due_on and due_on < opens_on:
        errors["due_on"] = [_("The due date cannot be before the round opens.")]
    if not errors and EvaluationRound.objects.filter(plan=plan, kind=kind, title_zh=title_zh).exists():
        errors["title_zh"] = [_("A round of this kind with this title already exists.")]
    if (
        not errors
        and EvaluationRound.objects.filter(plan=plan, kind=kind, state=EvaluationState.OPEN).exists()
    ):
        errors["kind"] = [_("A round of this kind is already open: close it before opening another.")]
    if errors:
        raise ValidationError(errors)
    now = clock.now()
    try:
        with transaction.atomic():  # a round opened at the same moment by someone else
            evaluation_round = EvaluationRound.objects.create(
                plan=plan,
                kind=kind,
                title_zh=title_zh,
                title_en=title_en,
                opens_on=opens_on,
                due_on=due_on,
                opened_at=now,
                opened_by=actor,
            )
    except IntegrityError as exc:
        raise ValidationError(
            {"kind": [_("A round of this kind is already open: close it before opening another.")]}
        ) from exc
    change_record(
        actor=actor,
        obj=evaluation_round,
        action="created",
        changes=field_changes(
            {},
            {
                "kind": kind,
                "title_zh": title_zh,
                "title_en": title_en,
                "opens_on": str(opens_on),
                "due_on": str(due_on),
            },
        ),
    )
    return evaluation_round


@transaction.atomic
def evaluation_round_close(*, actor, round_id: int) -> EvaluationRound:
    """The Office closes a round: from now on none of its assessments can be changed."""
    if not may(actor, REVIEW):
        raise PermissionDenied
    evaluation_round = _round_for_writing(actor, round_id)
    evaluation_round.state = EvaluationState.CLOSED
    evaluation_round.closed_at, evaluation_round.closed_by = clock.now(), actor
    evaluation_round.save(update_fields=["state", "closed_at", "closed_by"])
    change_record(
        actor=actor,
        obj=evaluation_round,
        action="closed",
        changes={"state": [EvaluationState.OPEN.value, EvaluationState.CLOSED.value]},
    )
    return evaluation_round


def _validate_self_assessment(assessment: SelfAssessment, *, submitting: bool) -> None:
    errors: dict[str, list[str]] = {}
    if assessment.rating and assessment.rating not in EvaluationRating.values:
        errors["rating"] = [_("Choose a rating from the list.")]
    if submitting:
        if not assessment.rating:
            errors.setdefault("rating", []).append(_("Choose a rating before submitting."))
        if not assessment.narrative.strip():
            errors["narrative"] = [_("Describe what your unit achieved before submitting.")]
    if errors:
        raise ValidationError(errors)


def _submitted_error(assessment: SelfAssessment) -> WorkflowError:
    return WorkflowError(
        _(
            "Your unit's self-assessment of %(measure)s was submitted on %(date)s and can no longer be "
            "changed."
        )
        % {
            "measure": assessment.measure.label,
            "date": formats.date_format(timezone.localtime(assessment.submitted_at), "Y-m-d"),
        }
    )


@transaction.atomic
def self_assessment_save(
    *,
    actor,
    round_id: int,
    measure: Measure,
    rating: str,
    narrative: str,
    version: int | None,
    evidence=None,
    remove_evidence: bool = False,
    submit: bool = False,
) -> SelfAssessment:
    """Create or update the actor's unit's self-assessment of ``measure``; optionally submit it.

    Only a liaison officer of a unit responsible for the measure, while the round is open, and
    while the self-assessment is not yet submitted. All or nothing: a bad value, a bad file or a
    stale ``version`` leaves it as it was.
    """
    if not may(actor, LOG_PROGRESS):
        raise PermissionDenied
    evaluation_round = _round_for_writing(actor, round_id)
    _check_measure(evaluation_round, measure)
    if not measure.responsibilities.filter(
        unit_id=actor.unit_id, role=ResponsibilityRole.RESPONSIBLE
    ).exists():
        raise ValidationError(
            {
                "measure": [
                    _("Only a unit responsible for measure %(measure)s assesses it, and yours is not.")
                    % {"measure": measure.label}
                ]
            }
        )
    existing = (
        SelfAssessment.objects.select_for_update(of=("self",))
        .filter(round=evaluation_round, measure=measure, unit_id=actor.unit_id)
        .first()
    )
    now = clock.now()
    if existing is None:
        if version not in (None, 0):
            raise Http404  # the self-assessment the user edited is gone
        assessment = SelfAssessment(round=evaluation_round, measure=measure, unit_id=actor.unit_id, version=0)
        before = {}
    else:
        assessment = existing
        if assessment.is_submitted:
            raise _submitted_error(assessment)
        check_version(assessment, version)  # version 0: the user expected none, someone created it
        before = {
            "rating": assessment.rating,
            "narrative": assessment.narrative,
            "evidence": assessment.evidence_name,
        }
    checked = None
    if evidence is not None:
        try:
            checked = check_document(evidence, max_bytes=settings.EVIDENCE_MAX_BYTES)
        except ValidationError as error:
            raise ValidationError({"evidence": error.messages}) from error

    assessment.rating, assessment.narrative = rating or "", (narrative or "").strip()
    _validate_self_assessment(assessment, submitting=submit)
    if remove_evidence or checked:
        assessment.evidence = ""
        assessment.evidence_name = assessment.evidence_type = assessment.evidence_sha256 = ""
        assessment.evidence_size = None
    if checked:
        content_type, sha256 = checked
        assessment.unit = actor.unit  # the file's path names the unit
        assessment.evidence = evidence
        assessment.evidence_name = evidence.name[:255]
        assessment.evidence_type, assessment.evidence_sha256 = content_type, sha256
        assessment.evidence_size = evidence.size
    changes = field_changes(
        before,
        {
            "rating": assessment.rating,
            "narrative": assessment.narrative,
            "evidence": assessment.evidence_name,
        },
    )
    if existing is not None and not changes and not submit:
        return assessment  # nothing changed: no new version, no history line
    assessment.version += 1
    assessment.updated_at, assessment.updated_by = now, actor
    if submit:
        assessment.submitted_at = now
    assessment.save()
    if existing is None or changes:
        change_record(
            actor=actor, obj=assessment, action="created" if existing is None else "edited", changes=changes
        )
    if submit:
        change_record(actor=actor, obj=assessment, action="submitted")
    return assessment


@transaction.atomic
def self_assessment_submit(*, actor, assessment_id: int, version: int | None) -> SelfAssessment:
    """Send the unit's self-assessment to the Office, if it is complete."""
    assessment = SelfAssessment.objects.restrict(actor).filter(pk=assessment_id).first()
    if assessment is None:
        raise Http404
    if not may(actor, LOG_PROGRESS) or assessment.unit_id != actor.unit_id:
        raise PermissionDenied
    _round_for_writing(actor, assessment.round_id)  # the round first, as every write locks it
    assessment = SelfAssessment.objects.select_for_update(of=("self",)).get(pk=assessment_id)
    if assessment.is_submitted:
        raise _submitted_error(assessment)
    check_version(assessment, version)
    _validate_self_assessment(assessment, submitting=True)
    assessment.submitted_at = clock.now()
    assessment.version += 1
    assessment.save(update_fields=["submitted_at", "version"])
    change_record(actor=actor, obj=assessment, action="submitted")
    return assessment


@transaction.atomic
def office_assessment_save(
    *, actor, round_id: int, measure: Measure, rating: str, comment: str, version: int | None
) -> OfficeAssessment:
    """Create or update the Office's assessment of ``measure`` in an open round."""
    if not may(actor, REVIEW):
        raise PermissionDenied
    evaluation_round = _round_for_writing(actor, round_id)
    _check_measure(evaluation_round, measure)
    if rating not in EvaluationRating.values:
        raise ValidationError({"rating": [_("Choose a rating from the list.")]})
    comment = (comment or "").strip()
    existing = (
        OfficeAssessment.objects.select_for_update(of=("self",))
        .filter(round=evaluation_round, measure=measure)
        .first()
    )
    if existing is None:
        if version not in (None, 0):
            raise Http404
        assessment = OfficeAssessment(round=evaluation_round, measure=measure, version=0)
        before = {}
    else:
        assessment = existing
        check_version(assessment, version)
        before = {"rating": assessment.rating, "comment": assessment.comment}
    changes = field_changes(before, {"rating": rating, "comment": comment})
    if existing is not None and not changes:
        return assessment  # nothing changed: no new version, no history line
    assessment.rating, assessment.comment = rating, comment
    assessment.version += 1
    assessment.updated_at, assessment.updated_by = clock.now(), actor
    assessment.save()
    change_record(
        actor=actor, obj=assessment, action="created" if existing is None else "edited", changes=changes
    )
    return assessment
