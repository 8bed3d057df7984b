"""Demo cooperation agreements (made once; the count made, 0 when already there).

Told so that the milestone of 2.(3) (by the end of 2008, the main origin and destination provinces
sign letters of intent) shows both sides: Yunnan (origin) signs a letter of intent with Guangdong
(destination) in June 2008, recorded by Yunnan's own reporting officer with its document; Guizhou
and Zhejiang, and Sichuan, Jiangsu and Fujian (a memorandum now expired, still signed in time) sign
in 2008 too; Henan and Beijing's agreement of 2008 was terminated; Guangxi and Shandong sign only in
April 2009 (late); Guangxi's memorandum with Viet Nam and Yunnan's with UNICEF (area 5) count for no
province. Anhui, Hunan, Chongqing, Hebei and Shanghai have signed nothing.
"""

import datetime as dt

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from agencies.models import Province, User
from core import clock
from measures.choices import AgreementKind, AgreementStatus, ForeignPartyKind
from measures.demo import pdf_bytes
from measures.models import CooperationAgreement, Measure, Plan
from measures.services.agreements import AgreementInput, PartyInput, agreement_save

LETTER, AGREEMENT, MEMORANDUM = (
    AgreementKind.LETTER_OF_INTENT,
    AgreementKind.AGREEMENT,
    AgreementKind.MEMORANDUM,
)
IN_FORCE, EXPIRED, TERMINATED = AgreementStatus.IN_FORCE, AgreementStatus.EXPIRED, AgreementStatus.TERMINATED

# (day recorded, who records it, title zh, title en, kind, signed on, status now, parties, measures)
AGREEMENTS = [
    (
        "2008-06-20", "province.yn", "云南省与广东省反对拐卖妇女儿童合作意向书",
        "Letter of intent between Yunnan and Guangdong on cooperation against trafficking",
        LETTER, "2008-06-18", IN_FORCE, ["530000", "440000"], ["2.3", "4.3"],
    ),
    (
        "2008-09-05", "office", "贵州省与浙江省反拐协作协议",
        "Agreement on anti-trafficking cooperation between Guizhou and Zhejiang",
        AGREEMENT, "2008-09-02", IN_FORCE, ["520000", "330000"], ["2.3"],
    ),
    (
        "2008-11-28", "office", "四川、江苏、福建三省打击拐卖犯罪合作备忘录",
        "Memorandum of Sichuan, Jiangsu and Fujian on cooperation against trafficking crimes",
        MEMORANDUM, "2008-11-25", EXPIRED, ["510000", "320000", "350000"], ["2.3", "3.1"],
    ),
    (
        "2008-10-16", "office", "河南省与北京市反拐合作意向书",
        "Letter of intent on anti-trafficking cooperation between Henan and Beijing",
        LETTER, "2008-10-15", TERMINATED, ["410000", "110000"], ["2.3"],
    ),
    (
        "2009-04-10", "office", "广西壮族自治区与山东省反拐合作意向书",
        "Letter of intent on anti-trafficking cooperation between Guangxi and Shandong",
        LETTER, "2009-04-08", IN_FORCE, ["450000", "370000"], ["2.3"],
    ),
]  # fmt: skip
# When the memorandum ran out and the letter of intent was ended (recorded as changes, with history).
STATUS_CHANGED = {
    "四川、江苏、福建三省打击拐卖犯罪合作备忘录": "2010-01-05",
    "河南省与北京市反拐合作意向书": "2009-09-01",
}

# Area 5: with a Mekong country and an international organisation.
COUNTRY, ORGANISATION = ForeignPartyKind.COUNTRY, ForeignPartyKind.ORGANISATION
ABROAD = [
    (
        "2008-12-10", "office", "广西壮族自治区与越南边境省份打击跨国拐卖合作备忘录",
        "Memorandum of Guangxi and Viet Nam's border provinces on cross-border trafficking",
        MEMORANDUM, "2008-12-09", "450000", COUNTRY, "越南", "Viet Nam", ["5.2"],
    ),
    (
        "2009-03-02", "province.yn", "云南省与联合国儿童基金会预防拐卖儿童合作协议",
        "Agreement between Yunnan and UNICEF on preventing the trafficking of children",
        AGREEMENT, "2009-02-26", "530000", ORGANISATION, "联合国儿童基金会", "UNICEF", ["5.1", "2.1"],
    ),
]  # fmt: skip


def _at(day: str, hour: int = 10) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(dt.date.fromisoformat(day), dt.time(hour)))


def _measures(plan: Plan, refs: list[str]) -> list[Measure]:
    return list(Measure.objects.filter(plan=plan, ref__in=refs))


@transaction.atomic
def create_demo_agreements() -> int:
    """Make the demo agreements once; the count made (0 when any is there, or the demo users are not)."""
    if CooperationAgreement.objects.exists():
        return 0
    users = {u.username: u for u in User.objects.filter(username__in=["office", "province.yn"])}
    if len(users) < 2:
        return 0
    plan = Plan.objects.get(code="2008-2012")
    provinces = {p.code: p for p in Province.objects.all()}
    made = 0
    for recorded, who, title_zh, title_en, kind, signed, _status, codes, refs in AGREEMENTS:
        with clock.travel(_at(recorded)):
            document = None
            if who == "province.yn":
                document = ContentFile(
                    pdf_bytes("Yunnan - Guangdong letter of intent"), name="云粤合作意向书.pdf"
                )
            agreement_save(
                actor=users[who],
                agreement_id=None,
                version=None,
                data=AgreementInput(
                    title_zh=title_zh,
                    title_en=title_en,
                    kind=kind,
                    signed_on=dt.date.fromisoformat(signed),
                    status=IN_FORCE,
                    summary="",
                    measures=_measures(plan, refs),
                    parties=[PartyInput(province=provinces[code]) for code in codes],
                ),
                document=document,
            )
            made += 1
    for title_zh, day in STATUS_CHANGED.items():
        agreement = CooperationAgreement.objects.get(title_zh=title_zh)
        status = next(row[6] for row in AGREEMENTS if row[2] == title_zh)
        with clock.travel(_at(day)):
            agreement_save(
                actor=users["office"],
                agreement_id=agreement.pk,
                version=agreement.version,
                data=AgreementInput(
                    title_zh=agreement.title_zh,
                    title_en=agreement.title_en,
                    kind=agreement.kind,
                    signed_on=agreement.signed_on,
                    status=status,
                    summary=agreement.summary,
                    measures=list(agreement.measures.all()),
                    parties=[
                        PartyInput(province=p.province) for p in agreement.parties.select_related("province")
                    ],
                ),
            )
    for recorded, who, title_zh, title_en, kind, signed, code, foreign_kind, name_zh, name_en, refs in ABROAD:
        with clock.travel(_at(recorded)):
            agreement_save(
                actor=users[who],
                agreement_id=None,
                version=None,
                data=AgreementInput(
                    title_zh=title_zh,
                    title_en=title_en,
                    kind=kind,
                    signed_on=dt.date.fromisoformat(signed),
                    status=IN_FORCE,
                    summary="",
                    measures=_measures(plan, refs),
                    parties=[
                        PartyInput(province=provinces[code]),
                        PartyInput(
                            foreign_kind=foreign_kind, foreign_name_zh=name_zh, foreign_name_en=name_en
                        ),
                    ],
                ),
            )
            made += 1
    return made
