"""Demo case files for `make run`: obviously fictional people (names marked 虚构, document numbers
starting DEMO), opened by public security and civil affairs, with referrals between agencies,
services and follow-up visits (some overdue)."""

import datetime as dt
import random

from django.db import transaction
from django.utils import timezone

from agencies.models import MemberUnit, Province, User
from cases.choices import Category, DocumentKind, Exploitation, ServiceKind, Sex
from cases.models.case_files import CaseFile
from cases.services import assistance, logged_reads
from cases.services import case_files as case_writes
from cases.services import referrals as referral_writes
from core import clock
from core.choices import Role

SURNAMES = "王李张刘陈杨黄赵周吴"
GIVEN = ["小红", "小兰", "春花", "秋月", "晓燕", "明明", "乐乐", "丽丽", "芳芳", "欢欢"]


def _officer(code: str, username: str) -> User:
    user = User.objects.filter(role=Role.CASE_OFFICER, unit__code=code).order_by("pk").first()
    return user or User.objects.create_user(
        username, role=Role.CASE_OFFICER, unit=MemberUnit.objects.get(code=code)
    )


@transaction.atomic
def create_demo_cases() -> int:
    if CaseFile.objects.exists():
        return 0
    rng = random.Random(4)  # noqa: S311 - a repeatable story, not a secret
    mps, mca, moe = _officer("MPS", "case.mps"), _officer("MCA", "case.mca"), _officer("MOE", "case.moe")
    provinces = list(
        Province.objects.filter(code__in=["450000", "530000", "520000", "510000", "440000", "410000"])
    )
    created = []
    for i in range(36):
        child = rng.random() < 0.45
        born = dt.date(1975 + rng.randint(0, 15), rng.randint(1, 12), rng.randint(1, 28))
        if child:
            born = dt.date(2001 + rng.randint(0, 6), rng.randint(1, 12), rng.randint(1, 28))
        rescued = dt.date(2009, rng.randint(1, 12), rng.randint(1, 28))
        officer = mps if i % 3 else mca
        with clock.travel(timezone.make_aware(dt.datetime.combine(rescued, dt.time(15)))):
            case = case_writes.case_create(
                actor=officer,
                data={
                    "category": Category.CHILD if child else Category.WOMAN,
                    "sex": Sex.MALE if child and rng.random() < 0.4 else Sex.FEMALE,
                    "name": f"{rng.choice(SURNAMES)}{rng.choice(GIVEN)}（虚构）",
                    # Not a resident identity card number, so that none could be a real person's.
                    "id_document_kind": DocumentKind.OTHER,
                    "id_number": f"DEMO{i:04d}{born:%Y%m%d}",
                    "phone": f"1390000{i:04d}",
                    "address": f"示例县示例镇{i + 1}号（虚构）",
                    "date_of_birth": born,
                    "home_province": rng.choice(provinces),
                    "home_county": "示例县",
                    "rescued_on": rescued,
                    "rescue_province": rng.choice(provinces),
                    "rescuing_agency": MemberUnit.objects.get(code="MPS"),
                    "exploitation": [rng.choice(Exploitation.values)],
                    "consent_services": True,
                    "consent_sharing": rng.random() < 0.8,
                    "consent_statistics": rng.random() < 0.9,
                    "guardian_found": (rng.random() < 0.6) if child else None,
                },
                confirm_duplicate=True,  # every demo person is another (and checks are limited)
            )
        created.append((case, officer))
    for case, officer in created[:12]:
        if not case.consent_sharing or officer != mps:
            continue
        referral = referral_writes.referral_create(
            actor=mps, case_id=case.pk, to_agency=mca.unit, purpose="请民政部门提供临时安置和生活救助。"
        )
        referral_writes.referral_decide(
            actor=mca, referral_id=referral.pk, accept=True, note="已安排救助管理站接收。"
        )
        assistance.service_add(
            actor=mca,
            case_id=case.pk,
            kind=ServiceKind.SHELTER,
            provided_on=case.rescued_on,
            outcome="在救助管理站临时安置。",
        )
        assistance.follow_up_add(
            actor=mca, case_id=case.pk, visited_on=case.rescued_on + dt.timedelta(days=20),
            living_conditions="生活稳定，情绪好转。", needs="希望继续上学。",
            next_visit_due=case.rescued_on + dt.timedelta(days=60),
        )  # fmt: skip
        if case.category == Category.CHILD:
            school = referral_writes.referral_create(actor=mps, case_id=case.pk, to_agency=moe.unit,
                                              purpose="请协助适龄儿童入学。")  # fmt: skip
            if rng.random() < 0.5:
                referral_writes.referral_end(actor=mps, referral_id=school.pk, revoke=True)
    for case, officer in created[12:20]:
        assistance.service_add(actor=officer, case_id=case.pk, kind=rng.choice(ServiceKind.values),
                             provided_on=case.rescued_on, outcome="已完成。")  # fmt: skip
    # Yesterday's reads, for the auditor to find.
    with clock.travel(timezone.make_aware(dt.datetime.combine(dt.date(2010, 1, 9), dt.time(10, 30)))):
        for case, officer in created[:5]:
            logged_reads.case_read(actor=officer, number=case.number, channel="page")
    return len(created)
