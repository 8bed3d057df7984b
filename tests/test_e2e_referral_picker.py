"""End to end in headless Chromium: a public-security officer in Shijiazhuang (Hebei) refers a case
to 昆明市民政局 (Yunnan) by typing "kunming" in the agency picker and choosing with the keyboard
(Down, Enter), as the WAI-ARIA combobox pattern has it, and the referral names the receiving
agency. On the way: the live region says how many were found, Escape closes the list, the intake
form's county picker suggests only the counties of the province chosen beside it, and axe finds no
WCAG 2.1 AA violation with the list open, nor on the intake form refused with the pickers' errors."""

import datetime as dt
from pathlib import Path

import pytest

from agencies.models import Division, Province
from cases import services
from cases.models import Referral
from core.choices import Role
from tests.browser import SHOTS, sign_in_with_code
from tests.personas import make_agency, make_user

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.portal_date("2010-01-10"),
]

AXE = Path(__file__).parent / "vendor" / "axe-core-4.11.4" / "axe.min.js"
AXE_OPTIONS = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}


def axe_violations(page) -> list[str]:
    """axe's findings on the page as it is. axe is evaluated through the browser's devtools, which the
    page's Content-Security-Policy does not stop (a script tag it would), so the pickers run under
    the policy the portal sends."""
    if not page.evaluate("() => typeof axe !== 'undefined'"):
        page.evaluate(AXE.read_text(encoding="utf-8"))
    result = page.evaluate("options => axe.run(document, options)", AXE_OPTIONS)
    return [f"{v['id']}: {[n['html'][:120] for n in v['nodes']]}" for v in result["violations"]]


def test_refer_a_case_across_provinces_with_the_picker(page, live_server, plan):
    shijiazhuang = make_agency("MPS-130100")
    kunming = make_agency("MCA-530100")
    make_agency("MPS-530100")  # 昆明市公安局: "kunming" finds two, the keyboard chooses one
    officer = make_user("case.mps.sjz", Role.CASE_OFFICER, agency="MPS-130100")
    case = services.case_create(
        actor=officer,
        data={
            "category": "woman",
            "sex": "female",
            "name": "测试小芳",
            "id_document_kind": "other",
            "date_of_birth": dt.date(1990, 3, 1),
            "rescued_on": dt.date(2009, 12, 20),
            "rescue_province": Province.objects.get(code="130000"),
            "rescuing_agency": shijiazhuang,
            "consent_services": True,
            "consent_sharing": True,
        },  # fmt: skip
        confirm_duplicate=True,
    )

    sign_in_with_code(page, live_server.url, officer)
    page.goto(f"{live_server.url}/cases/{case.number}/")
    page.click("#referrals summary")
    picker = page.locator("#id_to_agency")
    assert picker.get_attribute("role") == "combobox" and picker.get_attribute("aria-expanded") == "false"
    assert page.locator("label[for=id_to_agency]").inner_text() == "转介至"
    picker.focus()
    picker.press_sequentially("kunming")
    listbox = page.locator("#id_to_agency_listbox")
    listbox.locator("[role=option]").nth(1).wait_for()
    assert picker.get_attribute("aria-expanded") == "true"
    assert page.locator("#id_to_agency_status").inner_text() == "2 个结果"
    options = listbox.locator("[role=option]")
    assert sorted(options.all_inner_texts()) == [
        "昆明市公安局 云南省 › 昆明市 · MPS-530100",
        "昆明市民政局 云南省 › 昆明市 · MCA-530100",
    ]
    assert axe_violations(page) == []  # with the list open
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.keyboard.press("ArrowDown")
    page.screenshot(path=str(SHOTS / "referral-picker.png"))

    # Escape closes the list; Down opens it again on the first option, and moves on.
    page.keyboard.press("Escape")
    assert picker.get_attribute("aria-expanded") == "false" and listbox.is_hidden()
    assert picker.input_value() == "kunming"
    for _ in range(options.count()):
        page.keyboard.press("ArrowDown")
        active = picker.get_attribute("aria-activedescendant")
        assert active and page.locator(f"#{active}").get_attribute("aria-selected") == "true"
        if "昆明市民政局" in page.locator(f"#{active}").inner_text():
            break
    page.keyboard.press("Enter")  # chooses; the form is not sent yet
    assert picker.input_value() == "昆明市民政局" and picker.get_attribute("aria-expanded") == "false"
    assert page.locator("#id_to_agency_value").input_value() == str(kunming.pk)
    assert page.url.endswith(f"/cases/{case.number}/") and Referral.objects.count() == 0

    page.fill("#id_purpose", "当事人户籍在昆明，请安排接收和返乡安置。")
    page.click("#referrals button.primary")
    page.wait_for_load_state("load")
    referrals = page.locator("#referrals").inner_text()
    assert "→ 昆明市民政局" in referrals and "等待接收机构处理" in referrals
    referral = Referral.objects.get()
    assert referral.to_agency == kunming and referral.from_agency == shijiazhuang

    # The intake form: the county picker suggests the counties of the province chosen beside it.
    page.goto(f"{live_server.url}/cases/new/")
    page.select_option("#id_rescue_province", label="河北省")
    page.locator("#id_rescue_division").press_sequentially("长安")
    county = page.locator("#id_rescue_division_listbox [role=option]")
    county.first.wait_for()
    assert county.all_inner_texts() == ["长安区 河北省 › 石家庄市 · 130102"]  # not Xi'an's
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    assert page.locator("#id_rescue_division_value").input_value() == str(
        Division.objects.get(code="130102").pk
    )

    # Refused: each picker's error is shown by its field, the text typed is kept.
    page.goto(f"{live_server.url}/cases/new/")
    page.fill("#id_rescue_division", "城关区")
    page.fill("#id_rescuing_agency", "昆明")
    page.click("#case-form button.primary")
    page.wait_for_load_state("load")
    errors = page.locator("#case-form").inner_text()
    assert "多个行政区划与“城关区”相符" in errors and "多个机构与“昆明”相符" in errors
    assert page.locator("#id_rescue_division").input_value() == "城关区"
    assert page.locator("#id_rescuing_agency").get_attribute("aria-invalid") == "true"
    page.screenshot(path=str(SHOTS / "intake-pickers-refused.png"), full_page=True)
    assert axe_violations(page) == []
