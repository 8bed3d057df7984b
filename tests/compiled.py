"""Known data for the compiled reports' tests, and ways to read a finished report back."""

import datetime as dt
import io
import re
import subprocess
import zlib

from openpyxl import load_workbook

from agencies.models import Province
from core import clock
from core.choices import Role
from measures import services
from measures.models import Plan
from measures.services.agreements import AgreementInput, PartyInput, agreement_save
from reports.models import Job, ProvinceBaseline
from reports.services.compiled.jobs import report_start
from reports.services.compiled.spec import report_spec
from reports.services.quarterly import quarterly_report_accept, quarterly_report_return
from tests.cases import open_case
from tests.evaluation import office_assess, open_round, self_assess
from tests.funding import add_line
from tests.personas import make_user
from tests.progress import at, log_entry, pdf
from tests.quarterly import file_report, good_values

MCA_NOTE = "MCA-NOTE-42"
MCA_SELF = "MCA-SELF-7"
OFFICE_VIEW = "OFFICE-VIEW-9"


def known_data(persona):
    """Guangxi reports 40 cases, 30 solved (75.0 %) against 25 of 50 in 2007 (50.0 %), and the Office
    accepts it (only accepted reports count); Yunnan sends nothing; MCA reports measure 2.1.b
    completed; 35 rescued, 30 assisted (85.7 %)."""
    gx, office = persona("reporter_gx"), persona("office")
    persona("reporter_yn")
    accept(office, file_report(gx, "2009Q4", when="2010-01-05", submit=True), "2010-01-06")
    with clock.travel(at("2009-12-01")):
        ProvinceBaseline.objects.create(
            plan=Plan.objects.get(),
            province=gx.province,
            year=2007,
            cases_reported=50,
            cases_solved=25,
            updated_at=clock.now(),
            updated_by=office,
        )
    log_entry(
        persona("liaison_mca"), "2.1.b", "2009Q4", when="2010-01-04", submit=True, status="completed",
        narrative=MCA_NOTE, new_files=[pdf()],
    )  # fmt: skip
    mid_term = open_round(office)
    self_assess(persona("liaison_mca"), mid_term, "2.1.b", rating="achieved", narrative=MCA_SELF)
    office_assess(office, mid_term, "2.1.b", rating="largely", comment=OFFICE_VIEW)
    services.evaluation_round_close(actor=office, round_id=mid_term.pk)
    open_round(office, kind="final", title="终期评估（2012年）")
    return office


def start(user, kind: str, period: str = "2009Q4", language: str = "zh-hans", **scope) -> Job:
    spec = report_spec(user, plan=Plan.objects.get(), kind=kind, period=period, language=language, **scope)
    return report_start(actor=user, spec=spec)[0]


def pdf_text(content: bytes) -> str:
    result = subprocess.run(["pdftotext", "-", "-"], input=content, capture_output=True, check=True)
    return result.stdout.decode()


def xlsx_rows(content: bytes) -> dict[str, list[tuple]]:
    """Every sheet's rows, by sheet title."""
    workbook = load_workbook(io.BytesIO(content), read_only=True)
    return {sheet.title: [tuple(row) for row in sheet.iter_rows(values_only=True)] for sheet in workbook}


def row_starting(rows: dict[str, list[tuple]], first: str) -> tuple:
    found = [row for sheet in rows.values() for row in sheet if len(row) > 2 and row[0] == first]
    assert found, f"no row starts with {first!r}"
    return found[0]


# --- Data that reaches every branch of every section --------------------------------------------

OFFICE_2_3 = "OFFICE-2.3-LETTERS"
MPS_LATE = "MPS-LATE-3.1.a"
MPS_RETURNED = "MPS-RETURNED-1.3"
MCA_CONTRIBUTION = "MCA-COOPERATES-1.1"
BJ = "北京市"


def liaison_of(code: str, username: str):
    """A liaison officer of the unit ``code`` (the personas have none for the IMCS Office)."""
    return make_user(username, Role.LIAISON, unit=code)


def reporter_of(code: str, username: str):
    return make_user(username, Role.PROVINCE, province=code)


def accept(office, record, when: str):
    with clock.travel(at(when)):
        if hasattr(record, "measure_id"):
            return services.progress_entry_accept(actor=office, entry_id=record.pk, version=record.version)
        return quarterly_report_accept(actor=office, report_id=record.pk, version=record.version)


def send_back(office, record, when: str, comment: str = "请核对数字。"):
    with clock.travel(at(when)):
        if hasattr(record, "measure_id"):
            return services.progress_entry_return(
                actor=office, entry_id=record.pk, version=record.version, comment=comment
            )
        return quarterly_report_return(
            actor=office, report_id=record.pk, version=record.version, comment=comment
        )


def every_branch(persona):
    """``known_data`` and more, so that every section meets each case it handles:

    - the dated milestone tied to 2.(3) (the IMCS Office's): on track in 2008 Q3 (before it was due)
      and 2009 Q4 (accepted by the Office), completed in 2010 Q1; nothing before 2008 Q3;
    - MCA's 2.(1)-b completed in 2009 Q4, submitted but not reviewed; MCA's contribution as a
      cooperating unit of 1.(1), accepted;
    - MPS: 3.(1)-a sent after the 2009 Q4 deadline (late), 1.(3) returned by the Office;
    - provinces: Guangxi on time in 2009 Q4 (and accepted in 2008 Q4, the plan's first year, with a
      2007 baseline); Beijing late in 2009 Q4 (45.0 %, just below the national baseline), accepted,
      with no baseline of its own and nothing in 2008; Hebei on time in 2009 Q4, not yet accepted
      (left out of the figures, and named as left out); Yunnan's 2009 Q4 returned (so not
      reported); every other province nothing;
    - case files rescued in Guangxi in 2009 Q4: 12 children (shown) and 3 women (hidden);
    - Guangxi's letter of intent with Guangdong of June 2008 (the milestone of 2.(3) met for Guangxi,
      not for the country);
    - funding recorded for 2010 only (MCA's budget for area 4, an enterprise's donation to Yunnan
      for the work as a whole): the annual report of 2009 has none, the mid-term of 2010 Q1 has both.
    """
    office = known_data(persona)
    persona("liaison_mps")
    imcs = liaison_of("IMCS_OFFICE", "liaison_imcs")
    bj = reporter_of("110000", "reporter_bj")
    # The milestone of 2.(3), due at the end of 2008.
    q3 = log_entry(
        imcs, "2.3", "2008Q3", when="2008-10-06", submit=True, status="on_track", narrative=OFFICE_2_3
    )
    accept(office, q3, "2008-10-08")
    q4 = log_entry(
        imcs, "2.3", "2009Q4", when="2010-01-04", submit=True, status="on_track", narrative=OFFICE_2_3
    )
    accept(office, q4, "2010-01-08")
    log_entry(
        imcs, "2.3", "2010Q1", when="2010-04-02", submit=True, status="completed", narrative=OFFICE_2_3,
        new_files=[pdf()],
    )  # fmt: skip
    contribution = log_entry(
        persona("liaison_mca"), "1.1", "2009Q4", when="2010-01-05", submit=True, status="",
        narrative=MCA_CONTRIBUTION,
    )  # fmt: skip
    accept(office, contribution, "2010-01-08")
    mps = persona("liaison_mps")
    log_entry(mps, "3.1.a", "2009Q4", when="2010-01-20", submit=True, status="delayed", narrative=MPS_LATE)
    returned = log_entry(
        mps, "1.3", "2009Q4", when="2010-01-05", submit=True, status="at_risk", narrative=MPS_RETURNED
    )
    send_back(office, returned, "2010-01-07")
    # Provinces.
    first_year = file_report(persona("reporter_gx"), "2008Q4", when="2009-01-05", submit=True)
    accept(office, first_year, "2009-01-08")
    late = file_report(
        bj, "2009Q4", when="2010-01-20", submit=True, values=good_values(cases_reported=40, cases_solved=18)
    )
    accept(office, late, "2010-01-21")
    file_report(reporter_of("130000", "reporter_he"), "2009Q4", when="2010-01-08", submit=True)
    yunnan = file_report(persona("reporter_yn"), "2009Q4", when="2010-01-06", submit=True)
    send_back(office, yunnan, "2010-01-07")
    with clock.travel(at("2008-06-20")):
        parties = [PartyInput(province=p) for p in Province.objects.filter(code__in=["450000", "440000"])]
        letter = AgreementInput(
            "桂粤反拐合作意向书", "", "letter_of_intent", dt.date(2008, 6, 18), "in_force", "", [], parties
        )
        agreement_save(actor=persona("reporter_gx"), agreement_id=None, version=None, data=letter)
    # Case files.
    officer = persona("case_mps")
    for n in range(15):
        woman = n >= 12
        born = dt.date(1980 if woman else 2005, 1, 1)
        open_case(
            officer, rescued_on=dt.date(2009, 11, 1), id_number=f"450102{born:%Y%m%d}{n:04d}",
            name=f"测试{n}", category="woman" if woman else "child", date_of_birth=born,
            guardian_found=None if woman else False,
        )  # fmt: skip
    add_line(persona("liaison_mca"), year=2010, budgeted="5000", amount="4000", area=4)
    add_line(persona("reporter_yn"), year=2010, channel="donation", donor_kind="enterprise", amount="500")
    return office


def pdf_structure(content: bytes) -> bytes:
    """The PDF's objects with every compressed stream inflated: where its catalog (/Lang, /MarkInfo)
    and structure tree (/StructTreeRoot, /S /H1, /S /Table…) are written."""
    parts = [content]
    # Up to "endstream" with the line end before it kept: a compressed stream may itself end in a
    # byte that reads as "\r" (one stream in 256: stripping it broke the stream); the
    # decompressor stops at the end of the zlib data and leaves the line end unused.
    for match in re.finditer(rb"stream\r?\n(.*?)endstream", content, re.S):
        try:
            parts.append(zlib.decompressobj().decompress(match.group(1)))
        except zlib.error:
            continue
    return b"\n".join(parts)
