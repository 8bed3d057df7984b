"""Demo funding lines (made once; the count made, 0 when already there).

Told through the services under the portal's clock, as the owners would have recorded them: early
in 2009 for 2008, at the end of 2009 for 2009. 公安部 (MPS) budgets its anti-trafficking campaign
(area 3) and the work of the joint meeting's office as a whole; 民政部 (MCA) its rescue stations'
reception and escort of rescued women and children (area 4), with UNICEF's aid to the protection of
street and trafficked children and a foundation's donation; Yunnan its provincial budget for
publicity and prevention (area 2) and for the shelter and recovery of those rescued (area 4), an
enterprise's donation to its publicity in the border villages, ILO aid through the CP-TING project
(preventing the trafficking of girls and young women for labour exploitation) and UNICEF aid. The
amounts are illustrative, not the real budgets.
"""

import datetime as dt
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from agencies.models import User
from core import clock
from measures.choices import DonorKind, FundingChannel
from measures.models import Area, FundingLine, Plan
from measures.services.funding import FundingInput, funding_line_add

BUDGET, DONATION, AID = FundingChannel.BUDGET, FundingChannel.DONATION, FundingChannel.INTERNATIONAL_AID

# (who records it, year, channel, area (None: the work as a whole), kind of donor, donor,
#  budgeted, spent or received, note)
LINES = [
    ("liaison.mps", 2008, BUDGET, 3, "", "", "12000000", "11350000",
     "打拐专项经费：侦办拐卖案件、解救被拐卖妇女儿童"),
    ("liaison.mps", 2009, BUDGET, 3, "", "", "15000000", "13200000", "打拐专项行动经费，含打拐DNA数据库建设"),
    ("liaison.mps", 2009, BUDGET, None, "", "", "2000000", "1450000", "联席会议办公室日常工作、培训和督导"),
    ("liaison.mca", 2009, BUDGET, 4, "", "", "5000000", "4200000", "救助管理站接收、护送被解救妇女儿童"),
    ("liaison.mca", 2009, AID, 4, "", "联合国儿童基金会（UNICEF）", None, "2000000",
     "流浪儿童和被拐卖儿童救助保护项目"),
    ("liaison.mca", 2009, DONATION, 4, DonorKind.CIVIL_GROUP, "一家全国性儿童公益基金会", None, "300000",
     "被解救儿童生活用品和心理辅导"),
    ("province.yn", 2008, BUDGET, 2, "", "", "3000000", "2760000", "省级财政反拐宣传和预防经费"),
    ("province.yn", 2008, AID, 2, "", "国际劳工组织（ILO）CP-TING项目", None, "800000",
     "预防以劳动剥削为目的拐卖女童和青年妇女：输出地社区培训和安全外出务工宣传"),
    ("province.yn", 2009, BUDGET, 4, "", "", "2500000", "1980000", "被解救妇女儿童临时安置和康复"),
    ("province.yn", 2009, DONATION, 2, DonorKind.ENTERPRISE, "昆明一家民营企业", None, "500000",
     "资助边境村寨“反拐宣传进村寨”宣传材料和培训"),
    ("province.yn", 2009, AID, 4, "", "联合国儿童基金会（UNICEF）", None, "1200000",
     "被拐卖妇女儿童回归社会和康复试点"),
    ("province.yn", 2009, BUDGET, None, "", "", "600000", "540000", "省反拐工作领导小组办公室日常工作"),
]  # fmt: skip


def _at(year: int) -> dt.datetime:
    """When a year's lines are recorded: the year's end for the current year (2009), the next
    January for the one before."""
    day = dt.date(2009, 12, 15) if year == 2009 else dt.date(year + 1, 1, 12)
    return timezone.make_aware(dt.datetime.combine(day, dt.time(10)))


@transaction.atomic
def create_demo_funding() -> int:
    if FundingLine.objects.exists():
        return 0
    plan = Plan.objects.get(code="2008-2012")
    areas = {area.seq: area for area in Area.objects.filter(plan=plan)}
    for username, year, channel, seq, donor_kind, donor, budgeted, amount, note in LINES:
        with clock.travel(_at(year)):
            funding_line_add(
                actor=User.objects.get(username=username),
                plan=plan,
                line=FundingInput(
                    year=year,
                    channel=channel,
                    area=areas[seq] if seq else None,
                    donor_kind=donor_kind,
                    donor=donor,
                    budgeted=Decimal(budgeted) if budgeted else None,
                    amount=Decimal(amount),
                    note=note,
                ),
            )
    return len(LINES)
