"""Writes and logged reads of reports from the public (3.(2), second dash: 建立健全举报犯罪制度).

A member of the public sends a report without an account (``public_report_submit``): it is routed
to the public-security office that the anti-trafficking office of the division (or of the nearest
division above it: county → prefecture → province) sits in, else to the IMCS Office's triage, which
forwards it (``public_report_forward``). The person gets a follow-up code once; only its keyed hash
is kept, and the code shows the report's status and nothing else (``public_report_status``). The
receiving agency's case officers change its status and keep notes (``public_report_update``).
Every read by a signed-in user is in the audit log, as reads of case files are.
"""

from __future__ import annotations

import datetime as dt
import re
import secrets
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import get_language, gettext_noop
from django.utils.translation import gettext as _

from agencies.choices import AgencyKind
from agencies.models import Agency, Division
from cases.choices import PublicReportStatus
from cases.models.public_reports import PublicReport, PublicReportAttachment
from cases.services.logged_reads import visible_or_refused
from core import clock, statistics_cache
from core.audit import audit, audit_shown
from core.crypto import blind_index
from core.history import change_record
from core.notify import notify, people_with
from core.permissions import CHANGE, KEEP_CASE_FILES, REVIEW, VIEW, allows, may
from core.uploads import check_document
from core.workflow import WorkflowError, check_version

# The member unit whose offices receive reports of crimes: public security (公安部 and its bureaus).
PUBLIC_SECURITY_UNIT = "MPS"
MAX_DESCRIPTION = 5000
MAX_NOTES = 10000
MAX_NAME = 100
MAX_PHONE = 30
MAX_ATTACHMENTS = 3
# Crockford's base32: no I, L, O or U, so nothing read aloud or copied by hand is ambiguous.
CODE_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
CODE_GROUPS, CODE_GROUP_LENGTH = 5, 4  # 20 characters of 5 bits: 100 bits
PHONE = re.compile(r"^\+?[0-9][0-9 \-]{5,28}[0-9]$")
# Statuses the receiving agency may set (being routed is the triage's own).
RECEIVER_STATUSES = (PublicReportStatus.RECEIVED, PublicReportStatus.UNDER_REVIEW, PublicReportStatus.CLOSED)


@dataclass
class PublicReportInput:
    """What the public page (or a test) sends."""

    division: Division | None
    description: str
    happened_on: dt.date | None = None
    is_anonymous: bool = True
    contact_name: str = ""
    contact_phone: str = ""
    contact_email: str = ""
    attachments: list = field(default_factory=list)


@dataclass(frozen=True)
class StatusAnswer:
    """All that a follow-up code shows: the status and the date it was last changed."""

    status: str
    label: str
    since: dt.date

    @property
    def since_text(self) -> str:
        return date_format(self.since, "DATE_FORMAT")


def new_follow_up_code() -> str:
    """A code of 100 random bits, in groups that a person copies by hand: ``7KQ2-M9XD-...``."""
    chars = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_GROUPS * CODE_GROUP_LENGTH))
    return "-".join(chars[i : i + CODE_GROUP_LENGTH] for i in range(0, len(chars), CODE_GROUP_LENGTH))


def canonical_code(text: str) -> str:
    """The code as typed, read as Crockford reads it: case, spaces and dashes ignored, O as 0,
    I and L as 1."""
    cleaned = re.sub(r"[\s\-_]+", "", (text or "")[:100]).upper()
    return cleaned.translate(str.maketrans({"O": "0", "I": "1", "L": "1"}))


def follow_up_index(code: str) -> str:
    """The keyed hash under which a report is found by its code (the code itself is never kept)."""
    canonical = canonical_code(code)
    return blind_index("public-report", canonical) if canonical else ""


def receiver_of(division: Division) -> Agency | None:
    """The public-security office that receives reports of crimes in ``division``: the seat of the
    anti-trafficking office of the division, or of the nearest division above it that has a seat;
    None when none has (the report then waits in the Office's triage)."""
    codes = [c for c in (division.code, division.prefecture_code, division.province_code) if c]
    offices = (
        Agency.objects.filter(
            kind=AgencyKind.ANTI_TRAFFICKING_OFFICE,
            is_active=True,
            division__code__in=codes,
            seat__isnull=False,
            seat__is_active=True,
        )
        .select_related("seat", "division")
        .order_by("-division__code")
    )
    by_code = {office.division.code: office.seat for office in offices}
    return next((by_code[c] for c in codes if c in by_code), None)


def _validate(data: PublicReportInput) -> tuple[dict, list[tuple[str, str]]]:
    """The contact details to keep and each attachment's (type, SHA-256); else every problem."""
    errors: dict[str, list[str]] = {}
    checked: list[tuple[str, str]] = []
    description = (data.description or "").strip()
    if not description:
        errors["description"] = [_("Say what happened.")]
    elif len(description) > MAX_DESCRIPTION:
        errors["description"] = [
            _("Write at most %(max)s characters (this is %(count)s).")
            % {"max": MAX_DESCRIPTION, "count": len(description)}
        ]
    if data.division is None:
        errors["division"] = [_("Choose the province, or the county, where it happens.")]
    elif data.division.abolished_in is not None:
        errors["division"] = [_("Choose a division that exists today.")]
    if data.happened_on and data.happened_on > clock.today():
        errors["happened_on"] = [_("The date cannot be in the future.")]
    contact = {
        "contact_name": (data.contact_name or "").strip(),
        "contact_phone": (data.contact_phone or "").strip(),
        "contact_email": (data.contact_email or "").strip(),
    }
    if not data.is_anonymous:
        if not any(contact.values()):
            errors["contact_phone"] = [_("Give a phone number or an e-mail address, or report anonymously.")]
        elif not (contact["contact_phone"] or contact["contact_email"]):
            errors["contact_phone"] = [_("Give a phone number or an e-mail address to be reached at.")]
        if len(contact["contact_name"]) > MAX_NAME:
            errors["contact_name"] = [_("Write at most %(max)s characters.") % {"max": MAX_NAME}]
        if contact["contact_phone"] and (
            len(contact["contact_phone"]) > MAX_PHONE or not PHONE.match(contact["contact_phone"])
        ):
            errors["contact_phone"] = [_("Enter a phone number of digits (a leading + is allowed).")]
        if contact["contact_email"]:
            try:
                validate_email(contact["contact_email"])
            except ValidationError:
                errors["contact_email"] = [_("Enter a valid e-mail address.")]
    if len(data.attachments) > MAX_ATTACHMENTS:
        errors["attachments"] = [_("Attach at most %(max)s files.") % {"max": MAX_ATTACHMENTS}]
    else:
        problems = []
        for upload in data.attachments:
            try:
                checked.append(check_document(upload, max_bytes=settings.EVIDENCE_MAX_BYTES))
            except ValidationError as error:
                problems.extend(error.messages)
        if problems:
            errors["attachments"] = problems
    if errors:
        raise ValidationError(errors)
    return ({} if data.is_anonymous else contact), checked


@transaction.atomic
def public_report_submit(*, data: PublicReportInput) -> tuple[PublicReport, str]:
    """Keep a report from the public and route it; returns it with its follow-up code, which is
    shown to the person once and kept nowhere (only its keyed hash). Refused with nothing kept:
    a bad value (``ValidationError`` naming each field, a bad attachment included)."""
    contact, checked = _validate(data)
    now = clock.now()
    receiver = receiver_of(data.division)
    code = new_follow_up_code()
    report = PublicReport(
        follow_up_index=follow_up_index(code),
        division=data.division,
        receiving_agency=receiver,
        via_triage=receiver is None,
        status=PublicReportStatus.RECEIVED if receiver else PublicReportStatus.IN_TRIAGE,
        happened_on=data.happened_on,
        description=data.description.strip(),
        is_anonymous=data.is_anonymous,
        language="en" if (get_language() or "").startswith("en") else "zh-hans",
        received_at=now,
        updated_at=now,
        **contact,
    )
    report.save()
    statistics_cache.data_changed(statistics_cache.PUBLIC_REPORTS)
    for upload, (content_type, digest) in zip(data.attachments, checked, strict=True):
        PublicReportAttachment.objects.create(
            report=report,
            file=upload,
            original_name=upload.name[:255],
            content_type=content_type,
            size=upload.size,
            sha256=digest,
            uploaded_at=now,
        )
    _tell_receivers(report)
    return report, code


def _tell_receivers(report: PublicReport) -> None:
    params = {"place": report.division}
    if report.receiving_agency_id:
        users = people_with(KEEP_CASE_FILES, agency_id=report.receiving_agency_id)
        title = gettext_noop("A report of a suspected crime in %(place)s came from the public")
    else:
        users = people_with(REVIEW)
        title = gettext_noop("A report from the public in %(place)s waits in the triage")
    notify(users, title=title, params=params, link=reverse("cases:public_report", args=[report.pk]))


def public_report_status(*, code: str) -> StatusAnswer | None:
    """The status of the report with this code, or None: a wrong code and a code of no report
    answer the same (one indexed lookup either way, nothing else read)."""
    index = follow_up_index(code)
    row = PublicReport.objects.filter(follow_up_index=index or "-").values("status", "updated_at").first()
    if row is None:
        return None
    status = PublicReportStatus(row["status"])
    return StatusAnswer(
        status=status.value, label=str(status.label), since=timezone.localdate(row["updated_at"])
    )


def _queryset():
    return PublicReport.objects.select_related("division", "province", "receiving_agency")


def public_report_read(*, actor, pk, channel: str = "") -> PublicReport:
    """The report, if the actor may read it (else 404, logged as refused); the read is logged."""
    report = visible_or_refused(_queryset(), actor=actor, asked=pk, pk=pk)
    audit(user=actor, action="view", obj=report, channel=channel)
    return report


def public_reports_shown(*, actor, reports, detail: dict | None = None, channel: str = "") -> None:
    """One entry for a list of reports shown (their ids, in order)."""
    audit_shown(
        user=actor,
        action="list",
        model=PublicReport,
        labels=[r.pk for r in reports],
        detail=detail,
        channel=channel,
    )


def _check_version(report: PublicReport, version: int | None) -> None:
    """A change made against another version than the one saved is refused (a report nobody has
    changed yet names no one who saved it)."""
    if report.updated_by_id is not None:
        check_version(report, version)
    elif version is not None and version != report.version:
        raise WorkflowError(
            _("This report was changed after you opened it. Nothing was saved: look at it again.")
        )


def _locked(actor, report_id: int) -> PublicReport:
    report = _queryset().restrict(actor, VIEW).select_for_update(of=("self",)).filter(pk=report_id).first()
    if report is None:
        raise Http404
    return report


@transaction.atomic
def public_report_update(
    *, actor, report_id: int, version: int | None, status: str | None = None, notes: str | None = None
) -> PublicReport:
    """The receiving agency's case officers set the status and keep notes (the Office, which reads
    what came through triage, 403). Stale ``version``: ``EditConflict``; bad value: named field."""
    report = _locked(actor, report_id)
    if not (may(actor, KEEP_CASE_FILES) and report.receiving_agency_id == actor.agency_id):
        raise PermissionDenied
    _check_version(report, version)
    errors = {}
    if status is not None and status not in RECEIVER_STATUSES:
        errors["status"] = [_("Choose received, being looked into or closed.")]
    if notes is not None and len(notes) > MAX_NOTES:
        errors["notes"] = [_("Write at most %(max)s characters.") % {"max": MAX_NOTES}]
    if errors:
        raise ValidationError(errors)
    changes = {}
    if status is not None and status != report.status:
        changes["status"] = [report.status, status]
        report.status = status
    if notes is not None and notes.strip() != report.notes:
        changes["notes"] = [None, "changed"]  # the history never holds the notes themselves
        report.notes = notes.strip()
    if not changes:
        return report
    report.version += 1
    report.updated_at, report.updated_by = clock.now(), actor
    report.save()
    statistics_cache.data_changed(statistics_cache.PUBLIC_REPORTS)
    change_record(actor=actor, obj=report, action="edited", changes=changes)
    audit(user=actor, action="change", obj=report, detail={"changed": sorted(changes)})
    return report


def public_security_agencies():
    """The agencies a report in triage may be forwarded to: active offices of public security."""
    return Agency.objects.case_keepers().filter(unit__code=PUBLIC_SECURITY_UNIT).select_related("division")


@transaction.atomic
def public_report_forward(
    *, actor, report_id: int, version: int | None, to_agency: Agency | None
) -> PublicReport:
    """The Office sends a report waiting in triage to a public-security office."""
    report = _locked(actor, report_id)
    if not may(actor, REVIEW) or not allows(actor, CHANGE, report):
        raise PermissionDenied
    _check_version(report, version)
    if not report.in_triage:
        raise WorkflowError(
            _("This report was already sent to %(agency)s.") % {"agency": report.receiving_agency}
        )
    if to_agency is None or not public_security_agencies().filter(pk=to_agency.pk).exists():
        raise ValidationError({"to_agency": [_("Choose an active public-security office.")]})
    report.receiving_agency = to_agency
    report.status = PublicReportStatus.RECEIVED
    report.version += 1
    report.updated_at, report.updated_by = clock.now(), actor
    report.save()
    statistics_cache.data_changed(statistics_cache.PUBLIC_REPORTS)
    change_record(
        actor=actor, obj=report, action="forwarded", changes={"receiving_agency": [None, to_agency.code]}
    )
    audit(user=actor, action="forward", obj=report, detail={"to": to_agency.code})
    _tell_receivers(report)
    return report


def public_report_file_read(*, actor, attachment: PublicReportAttachment, channel: str = "") -> None:
    """Log that the actor downloaded a file of a report it reads."""
    audit(
        user=actor, action="download", obj=attachment.report, detail={"file": attachment.pk}, channel=channel
    )
