"""Demo progress for `make run`: the four quarters of 2009 told as they happened, then the mid-term
evaluation (``create_demo_evaluation``).

Several units log on their measures (人力资源社会保障部 on those of 劳动保障部 and 人事部, which it
answers for since the March 2008 restructuring): most entries are submitted on time and accepted, some late,
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

from agencies.models import Agency, MemberUnit, User
from core import clock
from core.choices import Role
from measures import services
from measures.choices import EvaluationKind, ProgressStatus, ResponsibilityRole
from measures.models import (
    EvaluationRound,
    FigureDefinition,
    Plan,
    ProgressEntry,
    ReportingPeriod,
    Responsibility,
)
from measures.selectors.lineage import Lineage

# 人力资源社会保障部 (MOHRSS), formed on 2008-03-15, answers in 2009 for the measures of 劳动保障部 and
# 人事部 (the plan's changes of units, measures.selectors.lineage): its liaison logs them.
DEMO_UNITS = ["MPS", "MCA", "MOE", "MOJ", "ACWF", "MOHRSS"]
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


def pdf_bytes(title: str) -> bytes:
    """A small valid PDF, standing in for a scanned report (the tests upload it too)."""
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
        user = User.objects.filter(role=Role.LIAISON, agency__unit=unit).order_by("pk").first()
        if user is None:
            user = User.objects.create_user(
                f"liaison.{code.lower()}",
                role=Role.LIAISON,
                agency=Agency.objects.get(code=unit.code),
                first_name=f"{unit.name_zh}联络员",
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
    lineage = Lineage.of_plan(plan)
    for user in liaisons.values():
        # The measures the unit answers for in 2009: its own, and its predecessors' (the same all year).
        answered = lineage.answered_by(user.unit_id, periods["2009Q1"])
        responsibilities = list(
            Responsibility.objects.filter(pk__in=[a.responsibility.pk for a in answered.values()])
            .select_related("measure")
            .order_by("measure__seq")
        )
        roles = {a.responsibility.pk: a.role for a in answered.values()}
        for responsibility in responsibilities:
            responsibility.role = roles[responsibility.pk]  # the role in which the unit answers
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
                f"{measure.ref}-{period.code}.pdf",
                pdf_bytes(f"{measure.ref} {period.code}"),
                "application/pdf",
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


MID_TERM_RATINGS = ["largely", "partly", "largely", "achieved", "partly", "not_achieved"]
SELF_ASSESSMENT_TEXT = {
    "achieved": "本单位牵头的各项任务均已完成，相关制度和工作机制已经建立并有效运行。",
    "largely": "主要任务已基本完成，个别地区工作进展不平衡，下一阶段将加强督导。",
    "partly": "部分任务已经启动，但经费和人员尚未完全落实，需在下一阶段重点推进。",
    "not_achieved": "受机构调整影响，该项措施尚未有效开展，已制定整改计划。",
}


@transaction.atomic
def create_demo_evaluation() -> int:
    """A closed mid-term evaluation round (early 2010) with self-assessments and the Office's
    assessments, and an open final round some units have begun; once. Returns the rounds created."""
    plan = Plan.objects.get(code="2008-2012")
    office = User.objects.filter(role=Role.OFFICE).order_by("pk").first()
    if office is None or EvaluationRound.objects.filter(plan=plan).exists():
        return 0
    liaisons = demo_liaisons()
    with clock.travel(_at(dt.date(2010, 1, 4), 9)):
        mid_term = services.evaluation_round_open(
            actor=office, plan=plan, kind=EvaluationKind.MID_TERM,
            title_zh="中期评估（2010年）", title_en="Mid-term evaluation (2010)",
            opens_on=dt.date(2010, 1, 4), due_on=dt.date(2010, 1, 8),
        )  # fmt: skip
    ratings = iter(MID_TERM_RATINGS * 5)
    assessed = []
    for number, (code, user) in enumerate(liaisons.items()):
        refs = list(
            Responsibility.objects.filter(
                unit__code=code, measure__plan=plan, role=ResponsibilityRole.RESPONSIBLE
            )
            .order_by("measure__seq")
            .values_list("measure__ref", flat=True)[:3]
        )
        for position, ref in enumerate(refs):
            rating = next(ratings)
            draft = number == 2 and position == 2  # one unit never submitted this one
            with clock.travel(_at(dt.date(2010, 1, 5 + position), 15)):
                services.self_assessment_save(
                    actor=user, round_id=mid_term.pk, measure=plan.measures.get(ref=ref), rating=rating,
                    narrative=SELF_ASSESSMENT_TEXT[rating], version=None, submit=not draft,
                )  # fmt: skip
            assessed.append((ref, rating))
    office_ratings = {
        "achieved": "largely",
        "largely": "largely",
        "partly": "partly",
        "not_achieved": "partly",
    }
    with clock.travel(_at(dt.date(2010, 1, 8), 16)):
        for ref, rating in assessed[::2]:
            services.office_assessment_save(
                actor=office, round_id=mid_term.pk, measure=plan.measures.get(ref=ref),
                rating=office_ratings[rating], comment="自评情况基本属实，请继续推进。", version=None,
            )  # fmt: skip
    with clock.travel(_at(dt.date(2010, 1, 9), 10)):
        services.evaluation_round_close(actor=office, round_id=mid_term.pk)
        final = services.evaluation_round_open(
            actor=office, plan=plan, kind=EvaluationKind.FINAL,
            title_zh="终期评估（2012年）", title_en="Final evaluation (2012)",
            opens_on=dt.date(2010, 1, 9), due_on=dt.date(2013, 3, 31),
        )  # fmt: skip
    # The final round has begun: two measures self-assessed again (one better than at mid-term).
    mca = liaisons["MCA"]
    for (ref, _rating), rating, submit in zip(
        assessed[4:6], ["achieved", "largely"], [True, False], strict=True
    ):
        with clock.travel(_at(dt.date(2010, 1, 9), 15)):
            services.self_assessment_save(
                actor=mca, round_id=final.pk, measure=plan.measures.get(ref=ref), rating=rating,
                narrative=SELF_ASSESSMENT_TEXT[rating], version=None, submit=submit,
            )  # fmt: skip
    return 2
