"""Demo quarterly reports for `make run`: the 31 provinces through 2008 and 2009, told as they happened.

Every province reports 2009 Q1–Q3 (most on time and accepted, some late, a few returned); one
accepted report was reopened by the Office; Yunnan missed 2009 Q3 and asks to reopen it; 2009 Q4,
due 2010-01-15, is partly submitted: Yunnan's is a draft that its reporter can finish and submit, and
Guangxi has not started it. The Office's 2007 baselines are entered. Everything goes through the
services under the portal's clock.

From 2009 Q3 Yunnan collects its figures from its 16 prefecture-level divisions (until then it
reported alone): each prefecture's anti-trafficking office reports to the province, which approves.
In 2009 Q3 every prefecture's report was approved, but the province missed its own deadline (hence
its request to reopen). In 2009 Q4 (the demo's day is 2010-01-10) ten are approved, four submitted
and waiting for the province, Dehong's was returned with a comment and Nujiang has sent nothing;
Yunnan's own draft holds only the provincial level's own figures (the province's totals add the
approved prefectures' to them), so that province.yn can return, approve in one step, mark or wait,
and submit.
"""

import datetime as dt
import random

from django.db import transaction
from django.utils import timezone

from agencies.demo import DEMO_OTHER_USERS, DEMO_USERS
from agencies.models import Agency, Division, Province, User
from core import clock
from core.choices import Role
from measures.models import Area, Plan, ReportingPeriod
from reports import services
from reports.models import CollectingDivision, QuarterlyReport
from reports.services.baselines import baseline_set
from reports.services.quarterly import quarterly_reports_approve

NARRATIVE = {
    1: "开展反拐宣传进社区、进学校活动，发放宣传材料。",
    2: "在重点地区开展综合整治，加强劳务市场和车站等场所的巡查。",
    3: "组织打击拐卖犯罪专项行动，破获一批拐卖妇女儿童案件。",
    4: "对被解救妇女儿童提供临时安置、医疗和心理辅导，帮助其返回家庭。",
    5: "配合开展边境地区跨国拐卖犯罪的预防和打击工作。",
}


YUNNAN = "530000"
# Yunnan's prefecture-level divisions: how many cases a quarter brings (a scale) and whether the
# division lies on the border (Myanmar, Laos, Vietnam: cross-border cases).
PREFECTURES = {
    "530100": (4, False),  # 昆明市
    "530300": (3, False),  # 曲靖市
    "530400": (2, False),  # 玉溪市
    "530500": (2, True),  # 保山市
    "530600": (3, False),  # 昭通市
    "530700": (1, False),  # 丽江市
    "530800": (2, True),  # 普洱市
    "530900": (2, True),  # 临沧市
    "532300": (2, False),  # 楚雄彝族自治州
    "532500": (3, True),  # 红河哈尼族彝族自治州
    "532600": (2, True),  # 文山壮族苗族自治州
    "532800": (2, True),  # 西双版纳傣族自治州
    "532900": (2, False),  # 大理白族自治州
    "533100": (2, True),  # 德宏傣族景颇族自治州
    "533300": (1, True),  # 怒江傈僳族自治州
    "533400": (1, False),  # 迪庆藏族自治州
}
# 2009 Q4 below Yunnan: approved by the province, submitted and waiting, returned, nothing sent.
Q4_APPROVED = [
    "530100",
    "530300",
    "530400",
    "530500",
    "530600",
    "530700",
    "530800",
    "532300",
    "532500",
    "532900",
]
Q4_SUBMITTED = ["530900", "532600", "532800", "533400"]
Q4_RETURNED = "533100"
Q4_MISSING = "533300"
Q4_RETURN_COMMENT = "跨境拐卖案件数与州公安局通报的数据不一致，请核实后重新报送，并补充边境地区工作情况说明。"
# The provincial level's own figures for 2009 Q4 (the provincial public security department's own
# cases, the province's trainings and publicity); the rest of Yunnan's figures come from below.
YUNNAN_OWN_Q4 = {
    "cases_reported": 3,
    "cases_solved": 2,
    "suspects_arrested": 5,
    "cross_province_cases": 2,
    "cross_border_cases": 1,
    "trainings_held": 2,
    "persons_trained": 160,
    "publicity_events": 4,
}
REOPEN_REASON = (
    "自第三季度起我省汇总各州（市）报告，各州（市）报告均已审核通过，但因人员调整，省级报告未能按时报送，"
    "现已整理完毕，请求重新开放。"
)


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


def local_figures(rng: random.Random, scale: int, border: bool) -> dict[str, int]:
    """A prefecture's quarter: a few cases (``scale``: 1 for a small one, 4 for Kunming), within
    every rule of the catalogue, so that the province's totals are plausible too."""
    reported = rng.randint(scale, 4 * scale)
    solved = rng.randint(reported * 6 // 10, reported)
    women, children = rng.randint(scale, 3 * scale), rng.randint(0, 2 * scale)
    assisted = rng.randint((women + children) * 6 // 10, women + children)
    trainings = rng.randint(0, 2)

    def part(limit):
        return rng.randint(0, limit)

    return {
        "cases_reported": reported,
        "cases_solved": solved,
        "suspects_arrested": rng.randint(solved, 2 * solved),
        "cross_province_cases": part(reported // 2),
        "cross_border_cases": part(reported // 2) if border else 0,
        "women_rescued": women,
        "children_rescued": children,
        "persons_assisted": assisted,
        "assisted_medical": part(assisted),
        "assisted_psychological": part(assisted // 2),
        "assisted_legal_aid": part(assisted // 2),
        "assisted_shelter": part(assisted),
        "assisted_schooling": part(min(children, assisted)),
        "assisted_vocational": part(assisted // 2),
        "assisted_family_reunification": part(assisted),
        "trainings_held": trainings,
        "persons_trained": trainings * rng.randint(20, 60),
        "publicity_events": rng.randint(1, 6),
    }


def province_reporters(password: str) -> dict[str, User]:
    """One reporter per province: the demo users where they exist, otherwise ``province.<code>``
    (a reporter at the province's own level, never a prefecture's)."""
    result = {}
    for province in Province.objects.all():
        user = (
            User.objects.filter(role=Role.PROVINCE, agency__division__code=province.code)
            .order_by("pk")
            .first()
        )
        if user is None:
            user = User.objects.create_user(
                f"province.{province.code}", password=password, role=Role.PROVINCE,
                agency=Agency.objects.get(code=f"ATO-{province.code}"),
                first_name=f"{province.name_zh}填报员",
            )  # fmt: skip
        result[province.code] = user
    return result


def prefecture_reporters(password: str) -> dict[str, User]:
    """Yunnan's prefectures' reporters, by division code: the demo users (``agencies.demo``), made
    here if ``create_demo_users`` has not made them."""
    demo = {
        agency.removeprefix("ATO-"): (username, name)
        for username, _, agency, name in DEMO_USERS + DEMO_OTHER_USERS
    }
    result = {}
    for division in Division.objects.filter(code__in=PREFECTURES).order_by("code"):
        username, name = demo[division.code]
        user = User.objects.filter(username=username).first()
        if user is None:
            user = User.objects.create_user(
                username, password=password, role=Role.PROVINCE, first_name=name,
                agency=Agency.objects.anti_trafficking_office(division),
            )  # fmt: skip
        result[division.code] = user
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
                continue  # Yunnan missed it (its prefectures did not), and asks to reopen below
            # Yunnan's current quarter stays a draft, so that a new user (province.yn) can finish
            # and submit it: the main path of the card, on the demo's day.
            # It holds only the provincial level's own figures: the rest comes from its prefectures.
            draft = quarter == "2009Q4" and code == "530000"
            created += _tell(
                rng, user, office, period, areas, current=quarter == "2009Q4", draft=draft,
                values=YUNNAN_OWN_Q4 if draft else None,
            )  # fmt: skip
    created += _tell_prefectures(reporters[YUNNAN], periods, areas, password=password)
    with clock.travel(_at(dt.date(2010, 1, 5), 9)):
        services.reopen_request_create(
            actor=reporters[YUNNAN], period=periods["2009Q3"], reason=REOPEN_REASON
        )
    reopened = QuarterlyReport.objects.filter(period=periods["2009Q2"], province__code="440000").first()
    if reopened and reopened.state == "accepted":
        with clock.travel(_at(dt.date(2010, 1, 6), 15)):
            services.quarterly_report_reopen(
                actor=office, report_id=reopened.pk, version=reopened.version,
                comment="广东省第二季度解救儿童数与公安部通报数据不一致，请核对后重新报送。",
            )  # fmt: skip
    return created


def _tell_prefectures(
    province_user, periods: dict[str, ReportingPeriod], areas: list[int], *, password: str
) -> int:
    """Yunnan's prefectures from 2009 Q3 on, as the module's docstring tells it; returns how many
    reports they made. Their own random numbers, so that the provinces' story is unchanged."""
    CollectingDivision.objects.get_or_create(
        division=Division.objects.get(code=YUNNAN), defaults={"since": periods["2009Q3"]}
    )
    reporters = prefecture_reporters(password)
    rng = random.Random(5300)  # noqa: S311 - a repeatable story, not a secret
    made = []

    def save(code, period, day):  # a draft the day before, submitted on ``day``
        scale, border = PREFECTURES[code]
        with clock.travel(_at(day - dt.timedelta(days=1), 10)):
            report = services.quarterly_report_save(
                actor=reporters[code], period=period, values=local_figures(rng, scale, border),
                narratives={seq: NARRATIVE[seq] for seq in areas if rng.random() < 0.7}, version=None,
            )  # fmt: skip
        with clock.travel(_at(day, 15)):
            report = services.quarterly_report_save(
                actor=reporters[code], period=period, values={}, narratives={},
                version=report.version, submit=True, report_id=report.pk,
            )  # fmt: skip
        made.append(report)
        return report

    def approve(reports, day):  # in one step, as the province's page of the divisions below does
        if reports:
            with clock.travel(_at(day, 11)):
                quarterly_reports_approve(actor=province_user, versions={r.pk: r.version for r in reports})

    # 2009 Q3: all sixteen submitted from 3 to 12 October and approved in two rounds.
    q3 = periods["2009Q3"]
    first, second = [], []
    for code in PREFECTURES:
        day = dt.date(2009, 10, rng.randint(3, 12))
        (first if day <= dt.date(2009, 10, 8) else second).append(save(code, q3, day))
    approve(first, dt.date(2009, 10, 9))
    approve(second, dt.date(2009, 10, 14))
    # 2009 Q4: approved in two rounds, four waiting, one returned, one with nothing sent.
    q4 = periods["2009Q4"]
    first, second = [], []
    for code in Q4_APPROVED:
        day = dt.date(2010, 1, rng.randint(4, 7))
        (first if day <= dt.date(2010, 1, 5) else second).append(save(code, q4, day))
    approve(first, dt.date(2010, 1, 6))
    approve(second, dt.date(2010, 1, 8))
    returned = save(Q4_RETURNED, q4, dt.date(2010, 1, 5))
    with clock.travel(_at(dt.date(2010, 1, 7), 16)):
        services.quarterly_report_return(
            actor=province_user, report_id=returned.pk, version=returned.version, comment=Q4_RETURN_COMMENT
        )
    for code in Q4_SUBMITTED:
        save(code, q4, dt.date(2010, 1, rng.randint(8, 9)))
    return len(made)


# The current quarter's reports submitted by this day are accepted by the Office two days later.
EARLY_ACCEPTED_BY = dt.date(2010, 1, 6)


def _tell(
    rng,
    user,
    office,
    period: ReportingPeriod,
    areas: list[int],
    *,
    current: bool,
    draft: bool = False,
    values: dict[str, int] | None = None,
) -> int:
    """One province's quarter, as it went; ``draft``: it stays a draft (drawing the same numbers, so
    that the other provinces' story is unchanged); ``values``: saved instead of the drawn figures."""
    late = rng.random() < 0.15
    if late:
        submitted_on = period.deadline + dt.timedelta(days=rng.randint(1, 6))  # before the lock
    else:
        submitted_on = period.ends_on + dt.timedelta(days=rng.randint(2, 15))
    if current:
        submitted_on = min(submitted_on, dt.date(2010, 1, 9))
    drawn = figures(rng)
    with clock.travel(_at(submitted_on - dt.timedelta(days=1), 10)):
        report = services.quarterly_report_save(
            actor=user, period=period, values=values or drawn,
            narratives={seq: NARRATIVE[seq] for seq in areas if rng.random() < 0.8}, version=None,
        )  # fmt: skip
    if current and (rng.random() < 0.4 or draft):
        return 1  # still a draft
    with clock.travel(_at(submitted_on, 16)):
        report = services.quarterly_report_save(
            actor=user, period=period, values={}, narratives={}, version=report.version, submit=True,
            report_id=report.pk,
        )  # fmt: skip
    if office is None:
        return 1
    if current:
        # The Office has already accepted the current quarter's earliest reports (no random draw
        # here, so that the rest of the story is unchanged): the national figure of 2009 Q4 exists
        # and changes when it accepts more, such as Yunnan's.
        if submitted_on <= EARLY_ACCEPTED_BY:
            with clock.travel(_at(EARLY_ACCEPTED_BY + dt.timedelta(days=2), 11)):
                services.quarterly_report_accept(actor=office, report_id=report.pk, version=report.version)
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
