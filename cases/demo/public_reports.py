"""Demo reports from the public (made once, through the services, under the portal's clock).

The seats: Yunnan's anti-trafficking office (ATO-530000) sits in 云南省公安厅 (MPS-530000, read by
case.mps.yn), Kunming's (ATO-530100) in 昆明市公安局 (MPS-530100, case.mps.km). Guangxi and Hebei
have none set, so their reports wait in the Office's triage: Shijiazhuang's was sent on to
石家庄市公安局 (case.mps), Nanning's still waits. Statuses: received, being looked into, closed,
being routed.
"""

import datetime as dt

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from agencies.models import Agency, Division, User
from cases.choices import PublicReportStatus
from cases.models.public_reports import PublicReport
from cases.services import public_reports as writes
from core import clock

SEATS = [("530000", "MPS-530000"), ("530100", "MPS-530100")]
# A one-page PDF, enough for the checks of an evidence file (a real viewer shows it blank).
PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj 2 0 obj<</Type/Pages/Count 0/Kids[]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"  # noqa: E501


def _at(day: dt.date, hour: int = 20):
    return clock.travel(timezone.make_aware(dt.datetime.combine(day, dt.time(hour))))


def _report(day: dt.date, division: str, description: str, **fields) -> PublicReport:
    with _at(day):
        report, _code = writes.public_report_submit(
            data=writes.PublicReportInput(
                division=Division.objects.get(code=division), description=description, **fields
            )
        )
    return report


@transaction.atomic
def create_demo_public_reports() -> int:
    """The count made, 0 when already there."""
    if PublicReport.objects.exists():
        return 0
    for division, agency in SEATS:
        office = Agency.objects.anti_trafficking_office(Division.objects.get(code=division))
        office.seat = Agency.objects.get(code=agency)
        office.save(update_fields=["seat"])
    office = User.objects.get(username="office")
    km = User.objects.get(username="case.mps.km")
    wuhua = _report(
        dt.date(2010, 1, 3), "530102",
        "昆明火车站附近有一名中年男子多次带不同的小孩上车，孩子哭闹，男子自称是亲戚。（虚构）",
        happened_on=dt.date(2010, 1, 2),
    )  # fmt: skip
    with _at(dt.date(2010, 1, 4), 10):
        writes.public_report_update(
            actor=km,
            report_id=wuhua.pk,
            version=1,
            status=PublicReportStatus.UNDER_REVIEW,
            notes="已调取车站监控，派员核查。",
        )
    _report(
        dt.date(2010, 1, 5), "530300",
        "曲靖某职业介绍所招聘“外地工厂女工”，收走证件后带人出省，至今联系不上。（虚构）",
        is_anonymous=False, contact_name="李女士（虚构）", contact_phone="13800000000",
        attachments=[SimpleUploadedFile("招聘广告.pdf", PDF, "application/pdf")],
    )  # fmt: skip
    closed = _report(dt.date(2009, 12, 20), "530100", "小区里有人打听谁家孩子没人看管。（虚构）")
    with _at(dt.date(2009, 12, 28), 9):
        writes.public_report_update(
            actor=km,
            report_id=closed.pk,
            version=1,
            status=PublicReportStatus.CLOSED,
            notes="经核查为社区调查员，已排除。",
        )
    _report(dt.date(2010, 1, 8), "450100", "南宁某出租屋内住着几名不会说普通话的年轻女子，很少出门。（虚构）")
    hebei = _report(dt.date(2010, 1, 6), "130100", "有人在网上出售婴儿，留有石家庄的手机号码。（虚构）")
    with _at(dt.date(2010, 1, 7), 11):
        writes.public_report_forward(
            actor=office, report_id=hebei.pk, version=1, to_agency=Agency.objects.get(code="MPS-130100")
        )
    return PublicReport.objects.count()
