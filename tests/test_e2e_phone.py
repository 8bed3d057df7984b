"""Phones (390 CSS px wide) in headless Chromium: every role's main pages fit the screen.

The page itself never scrolls sideways (wide tables scroll inside their own .table-scroll box), and
no table cell is squeezed below a few characters (Chinese text may break after any character, so a
squeezed column reads one character per line). At desktop width the history table's columns keep
their words on one line. Screenshots go to
$SCREENSHOTS_DIR (default VAR_DIR/screenshots)/phone-*.png.
"""

import re

import pytest

from agencies.demo import DEMO_BACKUP_CODES, DEMO_PASSWORD
from agencies.models import User
from cases.models import CaseFile
from measures.models import ProgressEntry, ReportingPeriod
from reports.models import QuarterlyReport
from tests.browser import SHOTS, sign_in
from tests.demo import demo_data

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.portal_date("2010-01-10"),
]
PHONE = {"width": 390, "height": 844}
PLAN = "2008-2012"
DUE = "2009Q4"
# A cell narrower than this many times its font size holds about two characters or fewer.
NARROWEST = 2.5
MEASURE = """() => {
  const narrow = [];
  for (const cell of document.querySelectorAll("table.table td, table.table th")) {
    const text = cell.innerText.trim();
    if (!text || cell.offsetParent === null) continue;
    const em = parseFloat(getComputedStyle(cell).fontSize);
    const width = cell.getBoundingClientRect().width;
    if (width < NARROWEST * em) narrow.push(`${Math.round(width)}px: ${text.slice(0, 30)}`);
  }
  return {width: document.documentElement.scrollWidth, narrow: narrow.slice(0, 5),
          unboxed: [...document.querySelectorAll(".table-scroll")].filter(
            (box) => box.scrollWidth > box.clientWidth &&
              (box.getAttribute("tabindex") !== "0" || !box.getAttribute("aria-label"))).length};
}""".replace("NARROWEST", str(NARROWEST))


def pages_of(role: str) -> list[str]:
    plan = f"/plans/{PLAN}"
    due = ReportingPeriod.objects.get(plan__code=PLAN, year=2009, quarter=4)
    if role == "office":
        entry = ProgressEntry.objects.filter(period=due, state="submitted").first()
        report = QuarterlyReport.objects.filter(period=due).exclude(state="draft").first()
        return [
            f"{plan}/",
            "/progress/inbox/",
            f"/progress/entries/{entry.pk}/",
            "/progress/timeliness/",
            "/reports/quarterly/inbox/",
            f"/reports/quarterly/{report.province.code}/{DUE}/",
            "/reports/dashboard/",
            "/reports/compiled/",
            "/reports/completeness/",
            "/reports/indicators/",
            "/evaluation/",
            f"{plan}/matrix/",
            f"{plan}/measures/4.2.a/",
            "/cases/statistics/",
            "/notifications/",
            "/no-such-page/",
        ]
    if role == "liaison.mca":
        entry = ProgressEntry.objects.filter(unit__code="MCA").exclude(state="draft").order_by("-pk").first()
        return [
            "/progress/mine/",
            f"/progress/{PLAN}/{DUE}/4.2.a/edit/",
            f"/progress/entries/{entry.pk}/",
            "/evaluation/",
        ]
    if role == "province.gx":
        return [
            "/reports/quarterly/mine/",
            f"/reports/quarterly/{DUE}/edit/",
            "/reports/quarterly/450000/2009Q3/",
        ]
    if role == "case.mps":
        case = CaseFile.objects.restrict(User.objects.get(username="case.mps")).first()
        return ["/cases/", "/cases/new/", f"/cases/{case.number}/", "/cases/overdue/"]
    if role == "auditor":
        return ["/cases/audit/"]
    raise AssertionError(role)


ROLES = {"office": None, "liaison.mca": None, "province.gx": None, "case.mps": 0, "auditor": 1}


def test_every_roles_main_pages_fit_a_phone(browser, live_server, plan):
    demo_data()
    SHOTS.mkdir(parents=True, exist_ok=True)
    problems = []
    for language in ["zh-hans", "en"]:
        for role, backup_code in ROLES.items():
            context = browser.new_context(viewport=PHONE, locale="en-US", is_mobile=True, has_touch=True)
            context.add_cookies([{"name": "django_language", "value": language, "url": live_server.url}])
            page = context.new_page()
            page.set_default_timeout(20_000)
            code = (
                None
                if backup_code is None
                else DEMO_BACKUP_CODES[backup_code + (0 if language == "zh-hans" else 2)]
            )
            sign_in(page, live_server.url, role, DEMO_PASSWORD, code=code)
            for path in pages_of(role):
                response = page.goto(live_server.url + path)
                assert response is not None and response.status < 500, f"{role} {path}: {response.status}"
                found = page.evaluate(MEASURE)
                where = f"[{role} · {language}] {path}"
                if found["width"] > PHONE["width"]:
                    problems.append(f"{where}: the page is {found['width']} px wide")
                if found["narrow"]:
                    problems.append(f"{where}: squeezed cells {found['narrow']}")
                if found["unboxed"]:
                    problems.append(
                        f"{where}: {found['unboxed']} scrolling table box(es) not focusable/named"
                    )
                name = re.sub(r"[^a-z0-9]+", "-", f"{role}-{language}-{path}".lower()).strip("-")
                page.screenshot(path=str(SHOTS / f"phone-{name}.png"), full_page=True)
            context.close()
    assert not problems, "\n".join(problems)


def test_history_columns_keep_their_words_at_desktop_width(browser, live_server, plan):
    demo_data()
    entry = ProgressEntry.objects.filter(state="accepted").order_by("-pk").first()
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-US")
    page = context.new_page()
    sign_in(page, live_server.url, "office", DEMO_PASSWORD)
    page.goto(f"{live_server.url}/progress/entries/{entry.pk}/")
    widths = page.evaluate(
        """() => [...document.querySelectorAll("table.history tbody tr:first-child td")].map(
             (td) => td.getBoundingClientRect().width / parseFloat(getComputedStyle(td).fontSize))"""
    )
    lines = page.evaluate(
        """() => [...document.querySelectorAll("table.history tbody td:nth-child(3)")].map((td) => {
             const range = document.createRange();
             range.selectNodeContents(td);
             return new Set([...range.getClientRects()].map((r) => Math.round(r.top))).size;
           })"""
    )
    context.close()
    assert len(widths) == 4 and min(widths) >= 4, widths  # the action column was one character wide
    assert lines and max(lines) == 1, lines  # "What" (returned, accepted...) stays on one line
