"""Keyboard only, in headless Chromium (issue 16): a liaison signs in, logs a progress entry with an
evidence file and submits it without the mouse; the Office opens the dashboard's figures as a table
with one key. Every step checks that the focused element shows a visible focus ring, that a "skip
to content" link leads the page, and that Tab leaves the page again (no keyboard trap)."""

import pytest

from measures.demo import pdf_bytes
from measures.models import ProgressEntry
from tests.browser import sign_in_with_code, wait_for_focus, wait_signed_in
from tests.cases import open_case
from tests.personas import PASSWORD

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.portal_date("2010-01-10"),  # 2009 Q4 is due on 2010-01-15
]

FOCUS = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  const style = getComputedStyle(el);
  const outline = style.outlineStyle !== "none" && parseFloat(style.outlineWidth) >= 2;
  const ring = outline || style.boxShadow !== "none";
  const box = el.getBoundingClientRect();
  return {
    tag: el.tagName.toLowerCase(), id: el.id, name: el.getAttribute("name"), href: el.getAttribute("href"),
    text: (el.innerText || el.value || "").trim().slice(0, 40), cls: el.className,
    ring, visible: box.width > 0 && box.height > 0, focusVisible: el.matches(":focus-visible"),
  };
}"""


def focused(page) -> dict | None:
    return page.evaluate(FOCUS)


def assert_ring(info: dict) -> None:
    assert info["visible"], f"focus is on something not shown: {info}"
    assert info["focusVisible"] and info["ring"], f"no visible focus ring on {info}"


def tab_to(page, selector: str, limit: int = 80, back: bool = False) -> dict:
    """Press Tab (or Shift+Tab) until the focused element matches ``selector``, checking the focus
    ring at every stop."""
    for _ in range(limit):
        page.keyboard.press("Shift+Tab" if back else "Tab")
        info = focused(page)
        if info is None:
            continue
        assert_ring(info)
        if page.evaluate("s => document.activeElement.matches(s)", selector):
            return info
    raise AssertionError(f"{selector} not reached with the keyboard in {limit} presses")


def assert_skip_link_leads(page) -> None:
    """The first Tab on a freshly loaded page lands on the skip link, which Enter follows to <main>."""
    page.keyboard.press("Tab")
    info = focused(page)
    assert info and "skip-link" in info["cls"] and info["href"] == "#content", info
    assert_ring(info)
    page.keyboard.press("Enter")
    assert page.evaluate("() => document.activeElement.id") == "content"


def assert_no_trap(page, stops_per_element: int = 1) -> None:
    """Tab runs through every focusable element and leaves the page: nothing holds the focus. (A
    date field takes a Tab per part: day, month, year.)"""
    count = stops_per_element * page.evaluate(
        "() => document.querySelectorAll('a[href], button, input:not([type=hidden]), select, textarea,"
        ' summary, [tabindex]:not([tabindex="-1"])\').length'
    )
    page.locator("a.skip-link").focus()
    for _ in range(count + 5):
        page.keyboard.press("Tab")
        info = focused(page)
        if info is None or "skip-link" in info["cls"]:
            return
    raise AssertionError(
        f"Tab did not leave the page after {count + 5} presses: focus held at {focused(page)}"
    )


def test_log_and_submit_progress_with_the_keyboard_only(page, live_server, persona, tmp_path):
    persona("liaison_mca")
    persona("office")
    evidence = tmp_path / "安置情况.pdf"
    evidence.write_bytes(pdf_bytes("placement report"))

    page.goto(f"{live_server.url}/accounts/login/")
    # The sign-in page puts the cursor in the username field (autofocus), past the skip link.
    wait_for_focus(page, "id_username")
    assert_ring(focused(page))
    page.keyboard.type("liaison_mca")
    tab_to(page, "#id_password")
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url("**/plans/2008-2012/")

    assert_skip_link_leads(page)
    assert_no_trap(page)
    tab_to(page, "nav.mainnav a[href='/progress/mine/']")
    page.keyboard.press("Enter")
    page.wait_for_url("**/progress/mine/")

    # The measure 4.(2)-a's "log progress" link, reached by Tab from the top.
    row = page.locator("#my-measures tr", has=page.locator("a", has_text="4.(2)-a"))
    href = row.locator("a", has_text="填报进展").get_attribute("href")
    tab_to(page, f"a[href='{href}']", limit=300)
    page.keyboard.press("Enter")
    page.wait_for_url("**/edit/")

    tab_to(page, "#id_status")
    for _ in range(6):  # a closed <select> changes its option with the arrow keys
        if page.locator("#id_status").input_value() == "on_track":
            break
        page.keyboard.press("ArrowDown")
    assert page.locator("#id_status").input_value() == "on_track"
    tab_to(page, "#id_narrative")
    page.keyboard.type("本季度安置被解救儿童12人。")
    tab_to(page, "#id_figure_children_placed")
    page.keyboard.type("12")
    tab_to(page, "#id_evidence")
    with page.expect_file_chooser() as chooser:
        page.keyboard.press("Space")  # the file input opens the file picker from the keyboard
    chooser.value.set_files(str(evidence))
    assert_no_trap(page)
    tab_to(page, "button[name=submit]")
    page.keyboard.press("Enter")
    page.wait_for_url("**/progress/entries/*/")
    assert "报告已提交联席会议办公室" in page.content()

    entry = ProgressEntry.objects.get()
    assert entry.state == "submitted" and entry.status == "on_track"
    assert [f.original_name for f in entry.evidence.all()] == ["安置情况.pdf"]
    assert [(f.definition.code, f.value) for f in entry.figures.all()] == [("children_placed", 12)]

    # The Office reads the dashboard's figures: the table is one Tab stop after the chart.
    page.context.clear_cookies()
    page.goto(f"{live_server.url}/accounts/login/")
    wait_for_focus(page, "id_username")
    page.keyboard.type("office")
    tab_to(page, "#id_password")
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    wait_signed_in(page)
    page.goto(f"{live_server.url}/reports/dashboard/")
    summary = page.locator("details.chart-data[data-source='area-chart'] summary")
    assert page.evaluate(
        "() => document.querySelector('canvas[data-source=area-chart]').closest('.chart').nextElementSibling"
        ".matches('details.chart-data')"
    )
    tab_to(page, "details.chart-data[data-source='area-chart'] summary", limit=120)
    page.keyboard.press("Enter")
    table = page.locator("details.chart-data[data-source='area-chart'] table")
    assert table.is_visible() and summary.is_visible()
    heading = page.locator("section", has=summary).locator("h2").inner_text()
    assert table.locator("caption").inner_text() == heading
    headers = [h.inner_text() for h in table.locator("thead th").all()]
    rows = {
        r.locator("th").inner_text(): [c.inner_text() for c in r.locator("td").all()]
        for r in table.locator("tbody tr").all()
    }
    assert len(rows) == 5 and all(len(cells) == len(headers) - 1 for cells in rows.values())
    area_4 = next(cells for label, cells in rows.items() if label.startswith("4"))
    assert area_4[headers.index("按计划推进") - 1] == "1"  # the entry just submitted: on track


def test_no_keyboard_trap_in_date_pickers_and_inline_forms(page, live_server, persona):
    officer = persona("case_mps")
    case = open_case(officer)
    sign_in_with_code(page, live_server.url, officer)

    # The new case form: date fields (the browser's date picker) and selects.
    page.goto(f"{live_server.url}/cases/new/")
    assert_skip_link_leads(page)
    tab_to(page, "#id_date_of_birth")
    page.keyboard.type("01012006")  # month, day, year in an en-US browser
    assert page.locator("#id_date_of_birth").input_value() == "2006-01-01"
    assert_no_trap(page, stops_per_element=3)

    # A case's inline forms (<details>): opened with Enter, filled and left with Tab.
    page.goto(f"{live_server.url}/cases/{case.number}/")
    assert_skip_link_leads(page)
    tab_to(page, "#referrals summary", limit=150)
    page.keyboard.press("Enter")
    assert page.locator("#referrals details").get_attribute("open") is not None
    tab_to(page, "#id_to_agency")
    assert_no_trap(page, stops_per_element=3)
