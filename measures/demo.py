"""Demo progress for `make run`: the four quarters of 2009 told as they happened.

Several units log on their measures: most entries are submitted on time and accepted, some late,
some returned by the Office with a comment (one already fixed and resubmitted), and 2009 Q4, due
2010-01-15, is being filled in. Everything goes through the services, under the portal's clock set
to the moment each step happened, so history and lateness read as they would have.
"""

import datetime as dt
import io
import random

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from agencies import clock
from agencies.choices import Role
from agencies.models import MemberUnit, User

from . import services
from .choices import ProgressStatus, ResponsibilityRole
from .models import FigureDefinition, Plan, ProgressEntry, ReportingPeriod, Responsibility

DEMO_UNITS = ["MPS", "MCA", "MOE", "MOJ", "ACWF"]
STATUS_TEXT = {
    ProgressStatus.NOT_STARTED: "本季度已完成前期调研和工作部署，具体工作计划下季度启动。",
    ProgressStatus.ON_TRACK: "按计划推进：会同有关部门在重点地区开展工作，进展顺利。",
    ProgressStatus.AT_RISK: "部分地区经费和人员未完全落实，进度存在滞后风险，已协调有关部门解决。",
    ProgressStatus.DELAYED: "受机构调整影响，相关工作进度滞后，拟于下季度集中推进。",
    ProgressStatus.COMPLETED: "本项措施已按计划完成，相关文件和总结材料附后。",
}
CONTRIBUTION_TEXT = "配合牵头单位开展工作：提供业务指导和信息，参与联合检查和宣传活动。"
RETURN_COMMENTS = [
    "请补充本季度培训的具体场次和参训人数，并附培训通知或总结材料。",
    "叙述过于笼统，请说明在哪些重点地区开展了哪些具体工作。",
]


def _pdf(title: str) -> bytes:
    """A small valid PDF, standing in for a scanned report."""
    text = title.encode("latin-1", "replace")
    body = b"BT /F1 12 Tf 72 720 Td (" + text + b") Tj ET"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length " + str(len(body)).encode() + b" >>\nstream\n" + body + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, obj in enumerate(objects, 1):
        offsets.append(out.tell())
        out.write(f"{number} 0 obj\n".encode() + obj + b"\nendobj\n")
    xref = out.tell()
    out.write(f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode())
    for offset in offsets:
        out.write(f"{offset:010d} 00000 n \n".encode())
    out.write(f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode())
    return out.getvalue()


def _at(day: dt.date, hour: int) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, 0)))


def demo_liaisons() -> dict[str, User]:
    """One liaison per demo unit: the demo users where they exist, otherwise ``liaison.<code>``."""
    result = {}
    for code in DEMO_UNITS:
        unit = MemberUnit.objects.get(code=code)
        user = User.objects.filter(role=Role.LIAISON, unit=unit).order_by("pk").first()
        if user is None:
            user = User.objects.create_user(
                f"liaison.{code.lower()}", role=Role.LIAISON, unit=unit, first_name=f"{unit.name_zh}联络员"
            )
        result[code] = user
    return result


@transaction.atomic
def create_demo_progress(*, password: str) -> int:
    """Create the demo history once; returns the number of entries created (0 if already there)."""
    if ProgressEntry.objects.exists():
        return 0
    plan = Plan.objects.get(code="2008-2012")
    office = User.objects.filter(role=Role.OFFICE).order_by("pk").first()
    liaisons = demo_liaisons()
    for user in liaisons.values():
        if not user.has_usable_password():
            user.set_password(password)
            user.save(update_fields=["password"])
    rng = random.Random(2009)  # noqa: S311 - a repeatable story, not a secret
    periods = {p.code: p for p in ReportingPeriod.objects.filter(plan=plan, year=2009)}
    figures_by_measure: dict[int, list[FigureDefinition]] = {}
    for definition in FigureDefinition.objects.filter(plan=plan).prefetch_related("measures"):
        for measure in definition.measures.all():
            figures_by_measure.setdefault(measure.pk, []).append(definition)
    created = 0
    for code, user in liaisons.items():
        responsibilities = list(
            Responsibility.objects.filter(unit__code=code, measure__plan=plan).select_related("measure")
        )
        for quarter in ("2009Q1", "2009Q2", "2009Q3", "2009Q4"):
            period = periods[quarter]
            chosen = [r for r in responsibilities if rng.random() < (0.5 if quarter == "2009Q4" else 0.8)]
            for responsibility in chosen:
                created += _tell_entry(rng, user, office, responsibility, period, figures_by_measure)
    return created


def _tell_entry(rng, user, office, responsibility, period, figures_by_measure) -> int:
    measure = responsibility.measure
    responsible = responsibility.role == ResponsibilityRole.RESPONSIBLE
    status = rng.choice(
        [ProgressStatus.ON_TRACK] * 5
        + [ProgressStatus.AT_RISK, ProgressStatus.DELAYED, ProgressStatus.COMPLETED]
    )
    figures = {
        d.code: rng.randint(2, 60) * (10 if "persons" in d.code else 1)
        for d in figures_by_measure.get(measure.pk, [])
    }
    files = []
    if status == ProgressStatus.COMPLETED or rng.random() < 0.3:
        files = [
            SimpleUploadedFile(
                f"{measure.ref}-{period.code}.pdf", _pdf(f"{measure.ref} {period.code}"), "application/pdf"
            )
        ]
    current = period.code == "2009Q4"
    # Most units submit in the fortnight after the quarter; one in six misses the deadline.
    late = rng.random() < 0.17
    submitted_on = (
        period.deadline + dt.timedelta(days=rng.randint(1, 12))
        if late
        else period.ends_on + dt.timedelta(days=rng.randint(1, 14))
    )
    if current:
        submitted_on = min(submitted_on, dt.date(2010, 1, 9))
    with clock.travel(_at(submitted_on - dt.timedelta(days=2), 10)):
        entry = services.progress_entry_save(
            actor=user,
            measure=measure,
            period=period,
            status=status if responsible else "",
            narrative=STATUS_TEXT[status] if responsible else CONTRIBUTION_TEXT,
            figures=figures,
            version=None,
            new_files=files,
        )
    if current and rng.random() < 0.5:
        return 1  # still a draft
    with clock.travel(_at(submitted_on, 16)):
        entry = services.progress_entry_submit(actor=user, entry_id=entry.pk, version=entry.version)
    if current or office is None:
        return 1
    review_day = max(submitted_on, period.deadline) + dt.timedelta(days=rng.randint(2, 10))
    with clock.travel(_at(review_day, 11)):
        if rng.random() < 0.15:
            entry = services.progress_entry_return(
                actor=office, entry_id=entry.pk, version=entry.version, comment=rng.choice(RETURN_COMMENTS)
            )
        else:
            services.progress_entry_accept(actor=office, entry_id=entry.pk, version=entry.version)
            return 1
    if period.code in ("2009Q1", "2009Q2"):  # older returned entries were fixed and resubmitted since
        with clock.travel(_at(review_day + dt.timedelta(days=5), 9)):
            entry = services.progress_entry_save(
                actor=user,
                measure=measure,
                period=period,
                status=entry.status,
                narrative=entry.narrative + "\n补充：本季度在重点地区共开展专项工作3次，详见附件。",
                figures=figures,
                version=entry.version,
                submit=True,
            )
    return 1
