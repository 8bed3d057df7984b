"""Demo quarterly reports for `make run`: the 31 provinces through 2008 and 2009, told as they happened.

Every province reports 2009 Q1–Q3 (most on time and accepted, some late, a few returned); one
accepted report was reopened by the Office; Yunnan missed 2009 Q3 and asks to reopen it; 2009 Q4,
due 2010-01-15, is partly submitted: Yunnan's is a draft that its reporter can finish and submit, and
Guangxi has not started it. The Office's 2007 baselines are entered. Everything goes through the
services under the portal's clock.
"""

import datetime as dt
import random

from django.db import transaction
from django.utils import timezone

from agencies.models import Agency, Province, User
from core import clock
from core.choices import Role
from measures.models import Area, Plan, ReportingPeriod
from reports import services
from reports.models import QuarterlyReport
from reports.services.baselines import baseline_set

NARRATIVE = {
    1: "开展反拐宣传进社区、进学校活动，发放宣传材料。",
    2: "在重点地区开展综合整治，加强劳务市场和车站等场所的巡查。",
    3: "组织打击拐卖犯罪专项行动，破获一批拐卖妇女儿童案件。",
    4: "对被解救妇女儿童提供临时安置、医疗和心理辅导，帮助其返回家庭。",
    5: "配合开展边境地区跨国拐卖犯罪的预防和打击工作。",
}


def _at(day: dt.date, hour: int) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


def figures(rng: random.Random) -> dict[str, int]:
    """A quarter's figures that satisfy every rule of the catalogue."""
    reported = rng.randint(8, 120)
    solved = rng.randint(reported // 2, reported)
    women, children = rng.randint(3, 70), rng.randint(2, 50)
    assisted = rng.randint((women + children) * 6 // 10, women + children)
    trainings = rng.randint(1, 15)

    def part(limit):
        return rng.randint(0, limit)

    return {
        "cases_reported": reported,
        "cases_solved": solved,
        "suspects_arrested": rng.randint(solved, 2 * solved + 1),
        "cross_province_cases": part(reported // 2),
        "cross_border_cases": part(reported // 6),
        "women_rescued": women,
        "children_rescued": children,
        "persons_assisted": assisted,
        "assisted_medical": part(assisted),
        "assisted_psychological": part(assisted),
        "assisted_legal_aid": part(assisted),
        "assisted_shelter": part(assisted),
        "assisted_schooling": part(min(children, assisted)),
        "assisted_vocational": part(assisted),
        "assisted_family_reunification": part(assisted),
        "trainings_held": trainings,
        "persons_trained": trainings * rng.randint(20, 80),
        "publicity_events": rng.randint(2, 40),
    }


def province_reporters(password: str) -> dict[str, User]:
    """One reporter per province: the demo users where they exist, otherwise ``province.<code>``."""
    result = {}
    for province in Province.objects.all():
        user = User.objects.filter(role=Role.PROVINCE, agency__province=province).order_by("pk").first()
        if user is None:
            user = User.objects.create_user(
                f"province.{province.code}", password=password, role=Role.PROVINCE,
                agency=Agency.objects.get(code=f"ATO-{province.code}"),
                first_name=f"{province.name_zh}填报员",
            )  # fmt: skip
        result[province.code] = user
    return result


@transaction.atomic
def create_demo_quarterly(*, password: str) -> int:
    """Create the demo reports once; returns how many (0 if there are reports already)."""
    if QuarterlyReport.objects.exists():
        return 0
    plan = Plan.objects.get(code="2008-2012")
    office = User.objects.filter(role=Role.OFFICE).order_by("pk").first()
    reporters = province_reporters(password)
    rng = random.Random(2007)  # noqa: S311 - a repeatable story, not a secret
    for user in reporters.values():
        reported = rng.randint(60, 500)
        baseline_set(actor=office, plan=plan, province=user.province, cases_reported=reported,
                     cases_solved=reported * rng.randint(45, 80) // 100)  # fmt: skip
    areas = list(Area.objects.filter(plan=plan).values_list("seq", flat=True))
    periods = {p.code: p for p in ReportingPeriod.objects.filter(plan=plan, year__in=(2008, 2009))}
    created = 0
    # 2008, the plan's first year: every province reported (a story of its own, not to change 2009's).
    first_year = random.Random(2008)  # noqa: S311 - a repeatable story, not a secret
    for quarter in ("2008Q1", "2008Q2", "2008Q3", "2008Q4"):
        for user in reporters.values():
            created += _tell(first_year, user, office, periods[quarter], areas, current=False)
    for quarter in ("2009Q1", "2009Q2", "2009Q3", "2009Q4"):
        period = periods[quarter]
        for code, user in reporters.items():
            if quarter == "2009Q4" and code == "450000":
                continue  # Guangxi has not started the current quarter
            if quarter == "2009Q3" and code == "530000":
                continue  # Yunnan missed it, and asks to reopen below
            # Yunnan's current quarter stays a draft, so that a new user (province.yn) can finish
            # and submit it: the main path of the card, on the demo's day.
            draft = quarter == "2009Q4" and code == "530000"
            created += _tell(rng, user, office, period, areas, current=quarter == "2009Q4", draft=draft)
    with clock.travel(_at(dt.date(2010, 1, 5), 9)):
        services.reopen_request_create(
            actor=reporters["530000"], period=periods["2009Q3"],
            reason="第三季度报告因人员调整未能按时报送，现已整理完毕，请求重新开放。",
        )  # fmt: skip
    reopened = QuarterlyReport.objects.filter(period=periods["2009Q2"], province__code="440000").first()
    if reopened and reopened.state == "accepted":
        with clock.travel(_at(dt.date(2010, 1, 6), 15)):
            services.quarterly_report_reopen(
                actor=office, report_id=reopened.pk, version=reopened.version,
                comment="广东省第二季度解救儿童数与公安部通报数据不一致，请核对后重新报送。",
            )  # fmt: skip
    return created


def _tell(
    rng, user, office, period: ReportingPeriod, areas: list[int], *, current: bool, draft: bool = False
) -> int:
    """One province's quarter, as it went; ``draft``: it stays a draft (drawing the same numbers, so
    that the other provinces' story is unchanged)."""
    late = rng.random() < 0.15
    if late:
        submitted_on = period.deadline + dt.timedelta(days=rng.randint(1, 6))  # before the lock
    else:
        submitted_on = period.ends_on + dt.timedelta(days=rng.randint(2, 15))
    if current:
        submitted_on = min(submitted_on, dt.date(2010, 1, 9))
    with clock.travel(_at(submitted_on - dt.timedelta(days=1), 10)):
        report = services.quarterly_report_save(
            actor=user, period=period, values=figures(rng),
            narratives={seq: NARRATIVE[seq] for seq in areas if rng.random() < 0.8}, version=None,
        )  # fmt: skip
    if current and (rng.random() < 0.4 or draft):
        return 1  # still a draft
    with clock.travel(_at(submitted_on, 16)):
        report = services.quarterly_report_save(
            actor=user, period=period, values={}, narratives={}, version=report.version, submit=True,
            report_id=report.pk,
        )  # fmt: skip
    if current or office is None:
        return 1
    with clock.travel(_at(max(submitted_on, period.deadline) + dt.timedelta(days=rng.randint(1, 8)), 11)):
        if rng.random() < 0.08:
            services.quarterly_report_return(
                actor=office, report_id=report.pk, version=report.version,
                comment="请补充各领域工作情况说明，并核实解救人数。",
            )  # fmt: skip
        else:
            services.quarterly_report_accept(actor=office, report_id=report.pk, version=report.version)
    return 1
