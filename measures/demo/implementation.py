"""Demo implementation plans (made once; the count made, 0 when already there).

Guangxi's plan for 2008–2012 is accepted, with a local measure (实施细则) under 2.(1) whose targets
are set for 南宁市 and 崇左市, and its 2008 self-check; Yunnan has none, so that a new user can
enter it as Yunnan's office (the issue's trial); the Ministry of Public Security's plan is
submitted; the Ministry of Civil Affairs' was returned with a comment; the Ministry of Education's
is a draft; the other units and provinces have none yet (the Office's table names them).
"""

import datetime as dt
from decimal import Decimal

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from agencies.models import Division, User
from core import clock
from measures.choices import LineKind, SelfCheckStatus
from measures.demo import pdf_bytes
from measures.models import ImplementationPlan, Measure, Plan
from measures.services.implementation import (
    LineInput,
    SelfCheckInput,
    TargetInput,
    implementation_plan_accept,
    implementation_plan_return,
    implementation_plan_save,
    self_checks_save,
)


def _at(day: str, hour: int = 10) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(dt.date.fromisoformat(day), dt.time(hour)))


def _line(plan, ref, text, office, *, budget=None, years=None, local=False, title="", divisions=()):
    targets = [TargetInput(year=year, text=target) for year, target in (years or {}).items()]
    targets += [
        TargetInput(year=year, division=Division.objects.get(code=code), text=target, quantity=quantity)
        for year, code, target, quantity in divisions
    ]
    return LineInput(
        measure=Measure.objects.get(plan=plan, ref=ref),
        text=text,
        office_in_charge=office,
        kind=LineKind.LOCAL_MEASURE if local else LineKind.ACTION,
        title=title,
        budget=Decimal(budget) if budget else None,
        targets=targets,
    )


def _guangxi_lines(plan):
    return [
        _line(
            plan,
            "2.1",
            "在全区城乡社区建立反拐工作网络，发动群众参与预防和举报拐卖犯罪。",
            "自治区反拐办",
            budget="1800000",
            years={2008: "建立社区工作网络试点20个", 2010: "覆盖全区80%的乡镇"},
        ),
        _line(
            plan,
            "2.1",
            "在边境市县开展跨境拐卖预防宣传和联合巡逻，建立边境村屯联防机制。",
            "自治区公安厅刑侦总队",
            local=True,
            title="边境地区群防群治实施细则",
            budget="950000",
            divisions=[
                (2008, "450100", "南宁市火车站、客运站设立反拐宣传点10个", 10),
                (2008, "451400", "崇左市边境村屯联防队覆盖凭祥、东兴沿边村屯", 60),
                (2009, "451400", "崇左市与越方开展联合巡逻24次", 24),
            ],
        ),  # fmt: skip
        _line(
            plan,
            "4.1",
            "完善被解救妇女儿童临时救助和安置工作，在南宁建立自治区救助中心。",
            "省民政厅",
            budget="2600000",
            years={2009: "省级救助中心投入使用", 2011: "各州市均有临时安置场所"},
        ),  # fmt: skip
    ]


@transaction.atomic
def create_demo_implementation_plans() -> int:
    """Make the demo plans once; the count made (0 when any is there, or the demo users are not)."""
    if ImplementationPlan.objects.exists():
        return 0
    names = ["office", "province.gx", "liaison.mps", "liaison.mca", "liaison.moe"]
    users = {u.username: u for u in User.objects.filter(username__in=names)}
    if len(users) < 5:
        return 0
    plan = Plan.objects.get(code="2008-2012")
    office = users["office"]
    made = 0
    with clock.travel(_at("2008-06-20")):
        guangxi = implementation_plan_save(
            actor=users["province.gx"], plan=plan, version=0, submit=True,
            summary="广西壮族自治区贯彻《中国反对拐卖妇女儿童行动计划（2008—2012年）》实施计划：以边境地区为重点，"
            "建立群防群治网络，严厉打击跨境拐卖犯罪，做好被解救妇女儿童的救助安置。",
            lines=_guangxi_lines(plan),
            document=ContentFile(pdf_bytes("Guangxi plan 2008-2012"), name="广西壮族自治区实施计划.pdf"),
        )  # fmt: skip
        made += 1
    with clock.travel(_at("2008-07-10")):
        guangxi = implementation_plan_accept(actor=office, record_id=guangxi.pk, version=guangxi.version)
    with clock.travel(_at("2009-01-15")):
        self_checks_save(
            actor=users["province.gx"],
            record_id=guangxi.pk,
            year=2008,
            checks=[
                SelfCheckInput(line.pk, status, note)
                for line, (status, note) in zip(
                    guangxi.lines.order_by("seq"),
                    [
                        (SelfCheckStatus.ON_TRACK, "已建立社区工作网络试点23个。"),
                        (SelfCheckStatus.DONE, "南宁、崇左两地目标均已完成。"),
                        (SelfCheckStatus.NOT_STARTED, "救助中心选址尚在论证。"),
                    ],
                    strict=True,
                )
            ],
        )
    with clock.travel(_at("2008-08-05")):
        implementation_plan_save(
            actor=users["liaison.mps"], plan=plan, version=0, submit=True,
            summary="公安部关于落实国家行动计划的实施计划：组织全国打击拐卖妇女儿童专项行动。",
            lines=[
                _line(plan, "3.1", "组织全国打击拐卖妇女儿童犯罪专项行动，挂牌督办重大案件。", "刑事侦查局",
                      budget="5000000", years={2009: "破获拐卖案件数比2007年增长10%"}),
                _line(plan, "3.2", "完善全国打拐DNA数据库，采集失踪儿童父母和被拐儿童血样。", "刑事侦查局",
                      years={2009: "DNA数据库覆盖所有省份"}),
            ],
        )  # fmt: skip
        made += 1
    with clock.travel(_at("2008-09-01")):
        mca = implementation_plan_save(
            actor=users["liaison.mca"], plan=plan, version=0, submit=True,
            summary="民政部实施计划（征求意见稿）。",
            lines=[_line(plan, "4.1", "做好被解救妇女儿童的临时救助。", "社会事务司")],
        )  # fmt: skip
        made += 1
    with clock.travel(_at("2008-09-12")):
        implementation_plan_return(
            actor=office, record_id=mca.pk, version=mca.version,
            comment="请按年度列出目标，并写明各项工作的预算和责任处室。",
        )  # fmt: skip
    with clock.travel(_at("2008-10-08")):
        implementation_plan_save(
            actor=users["liaison.moe"], plan=plan, version=0,
            summary="教育部实施计划（草稿）。",
            lines=[_line(plan, "2.2", "在中小学开展预防拐卖和安全教育。", "基础教育司")],
        )  # fmt: skip
        made += 1
    return made
