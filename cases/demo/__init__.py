"""Demo case files for `make run`: obviously fictional people (names marked 虚构, document numbers
starting DEMO), held by local agencies (agencies.demo.DEMO_AGENCIES).

The story: 石家庄市公安局 (case.mps) rescues women and children in Hebei whose home is in Yunnan
and refers them across provinces to 昆明市民政局 (case.mca): most referrals accepted (with a
shelter service and follow-up visits, some overdue), one declined and sent on to 红河州民政局, one
completed, one revoked, one still waiting, and one file handed over (a transfer). 昆明市民政局,
红河州民政局 (case.mca.honghe) and 南宁市民政局 (case.mca.nanning) keep files of their own. So
case.mca sees Kunming's files and those referred to it; supervisor.mca.yn (云南省民政厅) reads
Kunming's and Honghe's civil-affairs files, none of Nanning's or Hebei's.
"""

import datetime as dt
import random

from django.db import transaction
from django.utils import timezone

from agencies.models import Agency, Division, Province, User
from cases.choices import Category, DocumentKind, Exploitation, ServiceKind, Sex
from cases.models.case_files import CaseFile
from cases.services import assistance, logged_reads
from cases.services import case_files as case_writes
from cases.services import referrals as referral_writes
from core import clock
from core.choices import Role

SURNAMES = "王李张刘陈杨黄赵周吴"
GIVEN = ["小红", "小兰", "春花", "秋月", "晓燕", "明明", "乐乐", "丽丽", "芳芳", "欢欢"]

# County-level divisions (GB/T 2260-2008) where the demo's people were rescued or have their home.
SHIJIAZHUANG = ["130102", "130104", "130123", "130133", "130182"]  # 长安区 桥西区 正定县 赵县 藁城市
KUNMING = ["530102", "530111", "530121", "530128"]  # 五华区 官渡区 呈贡县 禄劝彝族苗族自治县
HONGHE = ["532501", "532522", "532524", "532528"]  # 个旧市 蒙自县 建水县 元阳县
NANNING = ["450102", "450122", "450127"]  # 兴宁区 武鸣县 横县

# The files: (holding officer, how many, where rescued, where at home, rescuing agency's code).
STORY = [
    ("case.mps", 14, SHIJIAZHUANG, KUNMING + HONGHE, "MPS-130100"),
    ("case.mca", 8, KUNMING, KUNMING, "MPS-530100"),
    ("case.mca.honghe", 6, HONGHE, HONGHE, "MPS-530000"),
    ("case.mca.nanning", 6, NANNING, NANNING, "MCA-450100"),
]
# When the referrals, services and visits were made: after every rescue of the story (all in 2009).
AFTERWARDS = dt.date(2009, 12, 28)


def _officer(username: str) -> User:
    return User.objects.select_related("agency").get(username=username, role=Role.CASE_OFFICER)


def _at(day: dt.date):
    return clock.travel(timezone.make_aware(dt.datetime.combine(day, dt.time(15))))


def _open(rng, officer: User, i: int, rescued_in: Division, home: Division, rescuer: Agency,
          provinces: dict[str, Province]) -> CaseFile:  # fmt: skip
    child = rng.random() < 0.45
    born = dt.date(1975 + rng.randint(0, 15), rng.randint(1, 12), rng.randint(1, 28))
    if child:
        born = dt.date(2001 + rng.randint(0, 6), rng.randint(1, 12), rng.randint(1, 28))
    rescued = dt.date(2009, rng.randint(1, 11), rng.randint(1, 28))
    with _at(rescued):
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
                "address": f"{home.name_zh}示例镇{i + 1}号（虚构）",
                "date_of_birth": born,
                "home_province": provinces[home.province_code],
                "home_county": home.name_zh,
                "home_division": home,
                "rescued_on": rescued,
                "rescue_province": provinces[rescued_in.province_code],
                "rescue_division": rescued_in,
                "rescuing_agency": rescuer,
                "exploitation": [rng.choice(Exploitation.values)],
                "consent_services": True,
                # Every file of Hebei's is shared: the story refers them home.
                "consent_sharing": officer.username == "case.mps" or rng.random() < 0.8,
                "consent_statistics": rng.random() < 0.9,
                "guardian_found": (rng.random() < 0.6) if child else None,
            },
            confirm_duplicate=True,  # every demo person is another (and checks are limited)
        )
    return case


def _accepted(mps: User, mca: User, case: CaseFile, *, visits_overdue: bool):
    referral = referral_writes.referral_create(
        actor=mps,
        case_id=case.pk,
        to_agency=mca.agency,
        purpose="当事人户籍在云南，请民政部门接收安置并协助返乡。",
    )
    referral_writes.referral_decide(
        actor=mca, referral_id=referral.pk, accept=True, note="已安排救助管理站接收。"
    )
    assistance.service_add(
        actor=mca,
        case_id=case.pk,
        kind=ServiceKind.SHELTER,
        provided_on=case.rescued_on + dt.timedelta(days=3),
        outcome="在救助管理站临时安置。",
    )
    visited = case.rescued_on + dt.timedelta(days=20)
    assistance.follow_up_add(
        actor=mca, case_id=case.pk, visited_on=visited, living_conditions="生活稳定，情绪好转。",
        needs="希望继续上学。" if case.category == Category.CHILD else "希望就近就业。",
        next_visit_due=visited + dt.timedelta(days=30 if visits_overdue else 120),
    )  # fmt: skip
    return referral


@transaction.atomic
def create_demo_cases() -> int:
    if CaseFile.objects.exists():
        return 0
    rng = random.Random(4)  # noqa: S311 - a repeatable story, not a secret
    places = SHIJIAZHUANG + KUNMING + HONGHE + NANNING
    divisions = {d.code: d for d in Division.objects.filter(code__in=places)}
    provinces = {p.code: p for p in Province.objects.filter(code__in=["130000", "530000", "450000"])}
    agencies = {a.code: a for a in Agency.objects.filter(code__in=[row[4] for row in STORY])}
    files: dict[str, list[CaseFile]] = {}
    i = 0
    for username, count, rescued_in, homes, rescuer in STORY:
        officer = _officer(username)
        files[username] = []
        for _n in range(count):
            rescue, home = divisions[rng.choice(rescued_in)], divisions[rng.choice(homes)]
            files[username].append(_open(rng, officer, i, rescue, home, agencies[rescuer], provinces))
            i += 1
    mps, mca, honghe = _officer("case.mps"), _officer("case.mca"), _officer("case.mca.honghe")
    hebei = files["case.mps"]
    with _at(AFTERWARDS):
        # Referred home across provinces, to 昆明市民政局: six accepted (three with a visit overdue).
        for n, case in enumerate(hebei[:6]):
            _accepted(mps, mca, case, visits_overdue=n % 2 == 0)
        # Declined (the person's home is in Honghe), and sent on there: waiting for Honghe's answer.
        declined = referral_writes.referral_create(
            actor=mps, case_id=hebei[6].pk, to_agency=mca.agency, purpose="请民政部门接收安置。"
        )
        referral_writes.referral_decide(actor=mca, referral_id=declined.pk, accept=False,
                                        note="当事人户籍在红河州，请转红河州民政局。")  # fmt: skip
        referral_writes.referral_create(actor=mps, case_id=hebei[6].pk, to_agency=honghe.agency,
                                        purpose="当事人户籍在红河州，请接收安置。")  # fmt: skip
        # Completed: the person went home, Kunming's part is done (its access ended with it).
        completed = _accepted(mps, mca, hebei[7], visits_overdue=False)
        referral_writes.referral_end(actor=mca, referral_id=completed.pk, revoke=False)
        # Revoked by Shijiazhuang after Kunming accepted (the family came to fetch her).
        revoked = _accepted(mps, mca, hebei[8], visits_overdue=False)
        referral_writes.referral_end(actor=mps, referral_id=revoked.pk, revoke=True)
        # Still waiting in Kunming's box of incoming referrals.
        referral_writes.referral_create(actor=mps, case_id=hebei[9].pk, to_agency=mca.agency,
                                        purpose="请核实户籍并接收安置。")  # fmt: skip
        # Handed over: the file is Kunming's from now on.
        transfer = referral_writes.referral_create(
            actor=mps, case_id=hebei[10].pk, to_agency=mca.agency, kind="transfer",
            purpose="当事人长期在昆明生活，移交档案由昆明市民政局继续跟进。",
        )  # fmt: skip
        referral_writes.referral_decide(actor=mca, referral_id=transfer.pk, accept=True, note="已接收档案。")
        for username in ("case.mca", "case.mca.honghe", "case.mca.nanning"):
            officer = _officer(username)
            for case in files[username][:3]:
                assistance.service_add(
                    actor=officer,
                    case_id=case.pk,
                    kind=rng.choice(ServiceKind.values),
                    provided_on=case.rescued_on + dt.timedelta(days=1),
                    outcome="已完成。",
                )
    # Yesterday's reads, for the auditor to find.
    with clock.travel(timezone.make_aware(dt.datetime.combine(dt.date(2010, 1, 9), dt.time(10, 30)))):
        for case in hebei[:3]:
            logged_reads.case_read(actor=mps, number=case.number, channel="page")
        for case in hebei[:2]:
            logged_reads.case_read(actor=mca, number=case.number, channel="page")
    return sum(len(cases) for cases in files.values())
