"""Helpers for tests of the reporting chain: Yunnan's prefectures, their reporters, reports
submitted and approved through the services, and every kind of row a level's page below shows."""

from agencies.models import Division
from core.choices import Role
from reports import services
from reports.models import CollectingDivision
from reports.services.chain import nothing_to_report_mark
from tests.personas import make_agency, make_user
from tests.progress import period
from tests.quarterly import file_report, good_values

Q = "2009Q3"
KUNMING, QUJING, YUXI, BAOSHAN = "530100", "530300", "530400", "530500"


def reporter_of(code: str):
    """The reporting officer of a prefecture's (or county's) anti-trafficking office."""
    make_agency(f"ATO-{code}")
    return make_user(f"r{code}", Role.PROVINCE, agency=f"ATO-{code}")


def collect(code: str) -> None:
    CollectingDivision.objects.create(division=Division.objects.get(code=code))


def prefectures() -> list[Division]:
    return list(Division.objects.current().filter(parent__code="530000").order_by("code"))


def submitted(code: str, **values):
    return file_report(reporter_of(code), Q, values=good_values(**values), submit=True)


def approve(yn, report):
    return services.quarterly_report_accept(actor=yn, report_id=report.pk, version=report.version)


def fill_below(yn, prefectures_: list[Division]) -> None:
    """Reports of every kind below: submitted, approved, approved then unapproved; and a mark."""
    for i, prefecture in enumerate(prefectures_[:-1]):
        report = submitted(prefecture.code)
        if i % 3 == 1:
            approve(yn, report)
        elif i % 3 == 2:
            report = approve(yn, report)
            services.quarterly_report_reopen(
                actor=yn, report_id=report.pk, version=report.version, comment="改"
            )
    nothing_to_report_mark(actor=yn, division_id=prefectures_[-1].pk, period=period(Q), reason="无")
