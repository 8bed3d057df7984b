"""Demo good practices (made once; the count made, 0 when already there).

Told through the services under the portal's clock, so that history and dates read as they would
have: in 2009 the Office publishes practices of units and provinces across the five areas (公安部's
anti-trafficking DNA database, set up in April 2009; Yunnan's publicity in border villages;
Guangxi's border liaison with Viet Nam; 民政部's screening of children in its shelters with the
police; 教育部's safety lessons in schools), some in both languages and some in Chinese only. At the
end of 2009 one practice waits for the Office (人力资源社会保障部's training of rescued women), one was
returned to Yunnan with a comment, and 民政部 has a draft.
"""

import datetime as dt

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from agencies.models import User
from core import clock
from measures.demo import pdf_bytes
from measures.models import Area, GoodPractice, Measure, Plan
from measures.services.practices import (
    good_practice_accept,
    good_practice_return,
    good_practice_save,
)

PUBLISHED, SUBMITTED, RETURNED, DRAFT = "published", "submitted", "returned", "draft"

# (who proposes, day proposed, day decided, what becomes of it, area, measures, title zh, title en,
#  summary zh, summary en, a file)
PRACTICES = [
    (
        "province.gx", "2009-05-20", "2009-06-08", PUBLISHED, 5, ["5.2", "5.4"],
        "中越边境反拐联络官机制",
        "Border liaison officers with Viet Nam against trafficking",
        "广西与越南边境省份的公安机关在口岸设立反拐联络官，定期会晤、交换案件线索，"
        "对跨国拐卖案件联合侦查、共同解救，并在边境口岸和集市开展双语宣传。",
        "Police of Guangxi and the neighbouring Vietnamese provinces keep anti-trafficking liaison "
        "officers at the border crossings: they meet regularly, exchange leads, investigate "
        "cross-border cases together and rescue victims jointly, and run publicity in both languages "
        "at crossings and markets.",
        "",
    ),
    (
        "province.yn", "2009-06-25", "2009-07-10", PUBLISHED, 2, ["2.1", "2.2"],
        "边境地区“反拐宣传进村寨”",
        "",
        "在德宏、西双版纳等边境州市，组织民警、妇联干部和村干部进村入寨，用民族语言和图画讲解"
        "拐卖犯罪的常见手段和求助方式；村规民约写入防拐内容，外出务工妇女出行前登记、定期联系。",
        "",
        "反拐宣传进村寨工作总结.pdf",
    ),
    (
        "liaison.mps", "2009-08-20", "2009-09-02", PUBLISHED, 3, ["3.1", "3.2"],
        "打拐DNA数据库：以DNA比对查找被拐卖儿童",
        "The anti-trafficking DNA database: finding trafficked children by DNA matching",
        "2009年4月起，公安机关建立全国查找被拐卖/失踪儿童DNA数据库：采集丢失儿童父母和来历不明、"
        "疑似被拐儿童的血样，检验后录入数据库自动比对。比中后经复核确认身份，送还亲生父母。"
        "各地公安机关可异地查询、网上比对，不再依赖逐案奔波调查。",
        "Since April 2009 the police keep a national DNA database for finding trafficked and missing "
        "children: blood samples of parents whose child is missing and of children of unknown or "
        "suspected trafficked origin are analysed and matched automatically. A match is checked "
        "again before the child is returned to the parents. Police anywhere can query and match "
        "online instead of travelling case by case.",
        "打拐DNA数据库工作规范.pdf",
    ),
    (
        "liaison.moe", "2009-09-15", "2009-10-09", PUBLISHED, 1, ["1.2"],
        "预防拐卖安全教育进课堂",
        "",
        "在中小学安全教育课中加入预防拐卖内容：识别陌生人诱骗、遇险求助、牢记家庭住址和父母电话；"
        "寄宿制学校和留守儿童较多的农村学校每学期至少开展一次专题活动。",
        "",
        "",
    ),
    (
        "liaison.mca", "2009-10-28", "2009-11-16", PUBLISHED, 4, ["4.1", "4.4"],
        "救助管理站与公安机关协作甄别被拐儿童",
        "Shelters and the police screen children in care for trafficking",
        "流浪乞讨儿童进入救助管理站后，救助站通知公安机关采集血样入打拐DNA数据库比对；对疑似被拐"
        "儿童建立专门档案，查明身份前由救助保护中心照料，查明后协助送返并跟踪回访。",
        "Once a child begging or living on the streets enters a shelter, the shelter asks the police "
        "to take a sample for the anti-trafficking DNA database; a child suspected of having been "
        "trafficked gets a file of their own and stays in care until identified, then is helped home "
        "and visited afterwards.",
        "",
    ),
    (
        "liaison.mohrss", "2009-12-20", "", SUBMITTED, 4, ["4.3"],
        "被解救妇女职业技能培训与就业援助",
        "Vocational training and job placement for rescued women",
        "对被解救妇女开展免费职业技能培训，发放培训补贴，由公共就业服务机构推荐就业并跟踪三个月。",
        "Rescued women are trained in a trade free of charge, with a training allowance; the public "
        "employment services place them in jobs and follow up for three months.",
        "",
    ),
    (
        "province.yn", "2009-11-30", "2009-12-15", RETURNED, 2, ["2.1"],
        "昆明市社区反拐志愿者队伍建设",
        "",
        "在昆明市城乡社区组建反拐志愿者队伍，协助排查外来人员和留守儿童情况。",
        "",
        "",
    ),
    (
        "liaison.mca", "2010-01-06", "", DRAFT, 4, ["4.2"],
        "被解救儿童家庭寄养试点",
        "",
        "",
        "",
        "",
    ),
]  # fmt: skip
RETURN_COMMENT = "请补充志愿者人数、培训场次和取得的成效，并附相关材料后重新提交。"


def _at(day: str, hour: int) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(dt.date.fromisoformat(day), dt.time(hour)))


@transaction.atomic
def create_demo_practices() -> int:
    if GoodPractice.objects.exists():
        return 0
    plan = Plan.objects.get(code="2008-2012")
    office = User.objects.get(username="office")
    for row in PRACTICES:
        username, proposed, decided, fate, seq, refs, title_zh, title_en, summary_zh, summary_en, file = row
        area = Area.objects.get(plan=plan, seq=seq)
        files = [SimpleUploadedFile(file, pdf_bytes(file), "application/pdf")] if file else []
        with clock.travel(_at(proposed, 10)):
            practice = good_practice_save(
                actor=User.objects.get(username=username),
                version=None,
                title_zh=title_zh,
                title_en=title_en,
                summary_zh=summary_zh,
                summary_en=summary_en,
                area=area,
                measures=Measure.objects.filter(plan=plan, ref__in=refs),
                new_files=files,
                submit=fate != DRAFT,
            )
        if fate in (PUBLISHED, RETURNED):
            with clock.travel(_at(decided, 15)):
                if fate == PUBLISHED:
                    good_practice_accept(actor=office, practice_id=practice.pk, version=practice.version)
                else:
                    good_practice_return(
                        actor=office,
                        practice_id=practice.pk,
                        version=practice.version,
                        comment=RETURN_COMMENT,
                    )
    return len(PRACTICES)
