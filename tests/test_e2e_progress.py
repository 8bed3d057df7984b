"""End to end in headless Chromium: a liaison logs progress with a file and submits; the Office
returns it with a comment; the liaison fixes and resubmits; the Office accepts."""

import datetime as dt

import pytest
from django.utils import translation
from django.utils.formats import date_format

from core.models import ChangeRecord
from measures.demo import pdf_bytes
from measures.models import ProgressEntry
from tests.browser import SHOTS, sign_in, sign_out

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.portal_date("2010-01-10"),  # 2009 Q4 is due on 2010-01-15
]


def test_log_return_fix_resubmit_accept(page, live_server, persona, tmp_path):
    persona("liaison_mca")
    persona("office")
    evidence = tmp_path / "安置情况.pdf"
    evidence.write_bytes(pdf_bytes("placement report"))

    # The MCA liaison finds its measure 4.(2)-a, logs progress with a file and submits.
    sign_in(page, live_server.url, "liaison_mca")
    page.click("nav.mainnav >> text=我的措施")
    row = page.locator("#my-measures tr", has=page.locator("a", has_text="4.(2)-a"))
    row.locator("text=填报进展").click()
    page.select_option("#id_status", "on_track")
    page.fill("#id_narrative", "本季度安置被解救儿童12人。")
    page.fill("#id_figure_children_placed", "12")
    page.set_input_files("#id_evidence", str(evidence))
    page.click("button[name=submit]")
    page.wait_for_url("**/progress/entries/*/")
    assert "进展报告已提交联席会议办公室" in page.content()
    assert page.locator("ul.files a").inner_text() == "安置情况.pdf"
    sign_out(page)

    # The Office returns it with a comment, in English.
    sign_in(page, live_server.url, "office")
    page.click("button[value=en]")
    page.click("nav.mainnav >> text=Progress review")
    page.select_option("select[name=unit]", "MCA")  # the inbox filtered to one unit
    page.click("form.filters button[type=submit]")
    page.wait_for_url("**/progress/inbox/?*unit=MCA")
    page.locator("#inbox tr", has=page.locator("a", has_text="4.(2)-a")).locator("text=Review").click()
    page.click("button[name=return]")  # without a comment: refused, with the reason
    assert "a returned entry needs a comment" in page.content()
    page.fill("#id_comment", "Please say where the children were placed.")
    page.click("button[name=return]")
    page.wait_for_url("**/progress/inbox/?unit=MCA")  # back in the inbox, still filtered
    assert "returned to" in page.content()
    assert page.locator("select[name=unit]").input_value() == "MCA"
    page.click("button[value=zh-hans]")
    sign_out(page)

    # The liaison sees the comment, fixes and resubmits.
    sign_in(page, live_server.url, "liaison_mca")
    # (2010 Q1 has begun but not ended: an entry on it can be drafted, not yet submitted.)
    page.goto(f"{live_server.url}/progress/2008-2012/2010Q1/4.2.a/edit/")
    assert page.locator("button[name=submit]").count() == 0
    with translation.override("zh-hans"):
        april_first = date_format(dt.date(2010, 4, 1))  # 2010年4月1日
    assert f"尚未结束，自{april_first}起方可提交" in page.locator("#submittable-from").inner_text()
    page.click("nav.mainnav >> text=我的措施")
    assert "Please say where the children were placed." in page.locator("#returned").inner_text()
    page.click("#returned a.button")
    page.fill("#id_narrative", "本季度在南宁、柳州安置被解救儿童12人。")
    page.click("button[name=submit]")
    page.wait_for_url("**/progress/entries/*/")
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "progress-resubmitted.png"), full_page=True)
    sign_out(page)

    # The Office accepts.
    sign_in(page, live_server.url, "office")
    page.click("nav.mainnav >> text=进展审核")
    page.locator("#inbox tr", has=page.locator("a", has_text="4.(2)-a")).locator("text=审核").click()
    page.click("button[name=accept]")
    page.wait_for_url("**/progress/inbox/")
    entry = ProgressEntry.objects.get()
    assert entry.state == "accepted" and entry.narrative == "本季度在南宁、柳州安置被解救儿童12人。"
    actions = [change.action for change in ChangeRecord.objects.for_object(entry)]
    assert actions == ["created", "submitted", "returned", "edited", "resubmitted", "accepted"]
