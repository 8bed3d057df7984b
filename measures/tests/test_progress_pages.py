"""Progress pages: my measures, the entry form, the inbox, timeliness; query counts at two sizes."""

import csv
import io

import pytest
from django.urls import reverse
from django.utils import translation

from core import clock
from measures import services
from measures.models import ProgressEntry, Responsibility
from measures.selectors import unit_timeliness
from tests.progress import (
    at,
    edit_url,
    log_entry,
    pdf,
    period,
)
from tests.queries import page_queries

pytestmark = [pytest.mark.django_db, pytest.mark.portal_date("2009-10-10")]  # 2009 Q3 is due on 2009-10-15


def test_my_measures_lists_exactly_the_units_measures(client_as, plan):
    response = client_as("liaison_mca").get(reverse("measures:my_measures"))
    rows = response.context["rows"]
    expected = set(Responsibility.objects.filter(unit__code="MCA").values_list("measure__ref", flat=True))
    assert {row.measure.ref for row in rows} == expected
    assert response.context["period"].code == "2009Q3"
    body = response.content.decode()
    assert "2009年10月15日" in body and "我的措施" in body


def test_returned_entries_come_first_with_the_comment(client_as, persona):
    mca = persona("liaison_mca")
    returned = log_entry(mca, "4.3", "2009Q3", submit=True)
    services.progress_entry_return(actor=persona("office"), entry_id=returned.pk, version=returned.version,
                                   comment="请补充具体数据")  # fmt: skip
    response = client_as("liaison_mca").get(reverse("measures:my_measures"))
    assert response.context["rows"][0].measure.ref == "4.3"
    assert list(response.context["returned"]) == [ProgressEntry.objects.get(pk=returned.pk)]
    assert "请补充具体数据" in response.content.decode()


@pytest.mark.parametrize(
    ("query", "check"),
    [
        ("role=R", lambda rows: rows and all(r.role == "R" for r in rows)),
        ("area=4", lambda rows: rows and all(r.measure.area.seq == 4 for r in rows)),
        ("status=delayed", lambda rows: [r.measure.ref for r in rows] == ["4.2.c"]),
    ],
)
def test_my_measures_filters(client_as, persona, query, check):
    log_entry(persona("liaison_mca"), "4.2.c", "2009Q2", status="delayed", when="2009-07-05")
    rows = client_as("liaison_mca").get(reverse("measures:my_measures") + "?" + query).context["rows"]
    assert check(rows)


def test_form_errors_name_the_field_and_keep_the_input(client_as, plan):
    client = client_as("liaison_mca")
    response = client.post(
        edit_url("4.2.a", "2009Q3"),
        {
            "status": "completed",
            "narrative": "我们完成了安置工作",
            "figure_children_placed": "-4",
            "submit": "1",
        },
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "妥善安置被解救儿童（人）：" in body  # the figure's own label names the error
    assert "我们完成了安置工作" in body  # nothing typed is lost
    assert not ProgressEntry.objects.exists()
    response = client.post(
        edit_url("4.2.a", "2009Q3"), {"status": "completed", "narrative": "完成", "submit": "1"}
    )
    assert "佐证材料" in response.content.decode() and not ProgressEntry.objects.exists()


def test_form_with_a_file_saves_and_submits(client_as, plan):
    client = client_as("liaison_mca")
    response = client.post(
        edit_url("4.2.a", "2009Q3"),
        {
            "status": "completed",
            "narrative": "完成",
            "figure_children_placed": "9",
            "evidence": [pdf("总结.pdf")],
            "submit": "1",
        },
    )
    entry = ProgressEntry.objects.get()
    assert response.status_code == 302 and response.url == reverse("measures:entry", kwargs={"pk": entry.pk})
    assert entry.state == "submitted" and entry.evidence.get().original_name == "总结.pdf"
    assert client.get(edit_url("4.2.a", "2009Q3")).status_code == 302  # submitted: no more editing


def test_a_bad_file_is_named_and_nothing_is_saved(client_as, plan, english):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = client_as("liaison_mca")
    client.post(reverse("set_language"), {"language": "en"})
    response = client.post(
        edit_url("4.2.a", "2009Q3"),
        {"status": "on_track", "narrative": "x", "evidence": [SimpleUploadedFile("tool.exe", b"MZ\x90")]},
    )
    body = response.content.decode()
    assert "“tool.exe” is not an accepted kind of file" in body
    assert "choose them again" in body
    assert not ProgressEntry.objects.exists()


def test_edit_conflict_page_tells_and_keeps_both(client_as, persona):
    mca = persona("liaison_mca")
    entry = log_entry(mca, "4.2.a", "2009Q3", narrative="第一版")
    opened = entry.version
    log_entry(mca, "4.2.a", "2009Q3", version=opened, narrative="同事先保存的版本")
    response = client_as("liaison_mca").post(
        edit_url("4.2.a", "2009Q3"), {"status": "on_track", "narrative": "我的版本", "version": opened}
    )
    assert response.status_code == 409
    body = response.content.decode()
    assert "我的版本" in body and "同事先保存的版本" in body and "您的修改未被保存" in body
    assert ProgressEntry.objects.get(pk=entry.pk).narrative == "同事先保存的版本"
    current = ProgressEntry.objects.get(pk=entry.pk).version
    assert f'name="version" value="{current}"' in body
    again = client_as("liaison_mca").post(
        edit_url("4.2.a", "2009Q3"), {"status": "on_track", "narrative": "我的版本", "version": current}
    )
    assert again.status_code == 302 and ProgressEntry.objects.get(pk=entry.pk).narrative == "我的版本"


def test_office_returns_with_comment_and_the_unit_sees_it(client_as, persona, client):
    entry = log_entry(persona("liaison_mca"), "4.2.a", "2009Q3", submit=True)
    office = client_as("office")
    empty = office.post(reverse("measures:entry_review", kwargs={"pk": entry.pk, "decision": "return"}),
                        {"version": entry.version, "comment": ""})  # fmt: skip
    assert empty.status_code == 400 and "退回进展报告须填写意见" in empty.content.decode()
    # The language switch on that page comes back to the entry, not to the POST-only address.
    assert f'name="next" type="hidden" value="{reverse("measures:entry", kwargs={"pk": entry.pk})}"' in (
        empty.content.decode()
    )
    done = office.post(reverse("measures:entry_review", kwargs={"pk": entry.pk, "decision": "return"}),
                       {"version": entry.version, "comment": "请附上培训通知"})  # fmt: skip
    assert done.status_code == 302
    client.force_login(persona("liaison_mca"))
    page = client.get(edit_url("4.2.a", "2009Q3")).content.decode()
    assert "请附上培训通知" in page


def test_inbox_lists_submitted_entries_oldest_first(client_as, persona):
    mca, mps = persona("liaison_mca"), persona("liaison_mps")
    first = log_entry(mca, "4.2.a", "2009Q3", when="2009-10-02", submit=True)
    second = log_entry(mps, "3.1.a", "2009Q3", when="2009-10-03", submit=True)
    log_entry(mca, "4.2.c", "2009Q3")  # a draft: not in the inbox
    response = client_as("office").get(reverse("measures:review_inbox"))
    assert [e.pk for e in response.context["page"]] == [first.pk, second.pk]
    filtered = client_as("office").get(reverse("measures:review_inbox") + "?unit=MPS")
    assert [e.pk for e in filtered.context["page"]] == [second.pk]


def test_timeliness_arithmetic(persona, plan):
    mca = persona("liaison_mca")
    expected = Responsibility.objects.filter(unit__code="MCA").count()
    log_entry(mca, "4.2.a", "2009Q2", when="2009-07-15", submit=True)  # deadline day: on time
    log_entry(mca, "4.2.c", "2009Q2", when="2009-07-16", submit=True)  # a day late
    log_entry(mca, "4.3", "2009Q2", when="2009-07-10")  # a draft counts for nothing
    periods = [period("2009Q1"), period("2009Q2"), period("2009Q4")]
    with clock.travel(at("2009-10-10")):
        table = dict(unit_timeliness(persona("office"), plan, periods, clock.today()))
    mca_unit = next(unit for unit in table if unit.code == "MCA")
    q1, q2, q4 = table[mca_unit]
    assert (q1.expected, q1.submitted, q1.verdict) == (expected, 0, "missing")  # a quarter with nothing
    assert (q2.on_time, q2.late, q2.missing, q2.verdict) == (1, 1, expected - 2, "missing")
    assert q4.verdict == "pending"  # not due yet
    # Every unit answering for a measure in 2009, the IMCS Office included: 28 of the plan's 29, less
    # 人事部, 劳动保障部, 交通部 and 民航总局, plus 人力资源社会保障部, 交通运输部 and 中国民用航空局.
    assert len(table) == 28
    assert {"MOHRSS", "MOT", "CAACB"} <= {u.code for u in table} and "MOLSS" not in {u.code for u in table}


def test_all_submitted_on_time_or_late(persona, plan):
    mca = persona("liaison_mca")
    refs = list(Responsibility.objects.filter(unit__code="MCA").values_list("measure__ref", flat=True))
    for i, ref in enumerate(refs):
        status = (
            "on_track" if Responsibility.objects.get(unit__code="MCA", measure__ref=ref).role == "R" else ""
        )
        log_entry(
            mca, ref, "2009Q2", when="2009-07-20" if i == 0 else "2009-07-10", submit=True, status=status
        )
    table = dict(unit_timeliness(persona("office"), plan, [period("2009Q2")], clock.today()))
    cell = next(cells for unit, cells in table.items() if unit.code == "MCA")[0]
    assert cell.verdict == "late" and cell.late == 1 and cell.missing == 0


def test_timeliness_page_and_export(client_as, persona):
    log_entry(persona("liaison_mca"), "4.2.a", "2009Q2", when="2009-07-10", submit=True)
    client = client_as("office")
    page = client.get(reverse("measures:timeliness") + "?year=2009")
    assert [p.code for p in page.context["periods"]] == ["2009Q1", "2009Q2", "2009Q3", "2009Q4"]
    export = client.get(reverse("measures:timeliness_export", kwargs={"fmt": "csv"}) + "?year=2009")
    rows = list(csv.reader(io.StringIO(export.content.decode("utf-8-sig"))))
    assert rows[0][:4] == ["代码", "单位", "季度", "应报"]
    with translation.override("zh-hans"):
        quarter = str(period("2009Q2"))  # as people write it (2009年第二季度)
    mca_q2 = next(row for row in rows if row[0] == "MCA" and row[2] == quarter)
    expected = Responsibility.objects.filter(unit__code="MCA").count()
    assert mca_q2[3:] == [str(expected), "1", "0", str(expected - 1), "缺报"]
    assert client.get(reverse("measures:timeliness") + "?year=1999").status_code == 404


def test_query_counts_of_my_measures_and_inbox_do_not_grow(client_as, persona):
    log_entry(persona("liaison_mca"), "4.2.a", "2009Q3", submit=True)  # the small size: one entry
    mca = client_as("liaison_mca")
    small_mine = page_queries(mca, reverse("measures:my_measures"))
    from django.test import Client

    office = Client()
    office.force_login(persona("office"))
    small_inbox = page_queries(office, reverse("measures:review_inbox"))
    liaison = persona("liaison_mca")
    for responsibility in Responsibility.objects.filter(unit__code="MCA").exclude(measure__ref="4.2.a")[:12]:
        for quarter in ("2009Q1", "2009Q2", "2009Q3"):
            log_entry(liaison, responsibility.measure.ref, quarter, submit=True,
                      status="on_track" if responsibility.role == "R" else "")  # fmt: skip
    assert ProgressEntry.objects.count() == 37
    # (15: two of them read the plan's changes of units and the responsibilities, selectors.lineage;
    # one the measures the unit answers for, measures_answered_by, kept until the plan's data changes)
    assert page_queries(mca, reverse("measures:my_measures")) == small_mine <= 15
    assert page_queries(office, reverse("measures:review_inbox")) == small_inbox <= 12


def test_text_is_kept_when_the_entry_was_submitted_meanwhile(client_as, persona):
    mca = persona("liaison_mca")
    entry = log_entry(mca, "4.2.a", "2009Q3")
    services.progress_entry_submit(actor=mca, entry_id=entry.pk, version=entry.version)
    response = client_as("liaison_mca").post(
        edit_url("4.2.a", "2009Q3"),
        {"status": "on_track", "narrative": "我在另一个窗口写的内容", "version": entry.version},
    )
    body = response.content.decode()
    assert response.status_code == 200 and "我在另一个窗口写的内容" in body and "不能再修改" in body


def test_a_huge_figure_is_refused_not_a_server_error(client_as, plan):
    response = client_as("liaison_mca").post(
        edit_url("4.2.a", "2009Q3"),
        {"status": "on_track", "narrative": "x", "figure_children_placed": "99999999999999999999"},
    )
    assert response.status_code == 200 and not ProgressEntry.objects.exists()


def test_returned_entries_are_not_shown_to_other_units(persona, api_as):
    entry = log_entry(persona("liaison_mps"), "4.4", "2009Q3", submit=True)  # 民政部 cooperates on 4.(4)
    assert api_as("liaison_mca").get(f"/api/progress-entries/{entry.pk}/").status_code == 200
    services.progress_entry_return(
        actor=persona("office"), entry_id=entry.pk, version=entry.version, comment="改"
    )
    assert api_as("liaison_mca").get(f"/api/progress-entries/{entry.pk}/").status_code == 404
    assert api_as("office").get(f"/api/progress-entries/{entry.pk}/").status_code == 200


def test_entry_page_queries_do_not_grow_with_its_history(client_as, persona):
    mca = persona("liaison_mca")
    entry = log_entry(mca, "4.2.a", "2009Q3", narrative="一")
    client = client_as("office")
    services.progress_entry_submit(actor=mca, entry_id=entry.pk, version=entry.version)
    url = reverse("measures:entry", kwargs={"pk": entry.pk})

    small = page_queries(client, url)
    office = persona("office")
    for round_ in range(4):  # returned, edited, resubmitted: twelve more history rows
        entry = ProgressEntry.objects.get(pk=entry.pk)
        entry = services.progress_entry_return(
            actor=office, entry_id=entry.pk, version=entry.version, comment=f"第{round_}次"
        )
        log_entry(mca, "4.2.a", "2009Q3", narrative=f"改{round_}", version=entry.version, submit=True)
    assert page_queries(client, url) == small


def test_the_same_evidence_file_again_is_refused_on_the_page(client_as, persona):
    """Issue 10, 15: the page names the field and the file already attached, and keeps the list."""
    entry = log_entry(persona("liaison_mca"), "4.2.a", "2009Q3", new_files=[pdf("总结.pdf")])
    client = client_as("liaison_mca")
    client.post(reverse("set_language"), {"language": "en"})
    response = client.post(
        edit_url("4.2.a", "2009Q3"),
        {"status": "on_track", "narrative": "补充", "version": entry.version, "evidence": [pdf("总结.pdf")]},
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert (
        "Add evidence files: “总结.pdf” is the same file as “总结.pdf”, already attached to this entry: "
        "it is not attached twice." in body
    )
    assert body.count(">总结.pdf</a>") == 1  # listed once
    assert ProgressEntry.objects.get(pk=entry.pk).evidence.count() == 1


@pytest.mark.parametrize("decision", ["accept", "return"])
def test_the_inbox_keeps_its_filters_after_a_decision(client_as, persona, decision):
    """Issue 10, 15: after accepting or returning, the reviewer is back in the inbox as filtered."""
    mca, mps = persona("liaison_mca"), persona("liaison_mps")
    entry = log_entry(mca, "4.2.a", "2009Q3", when="2009-10-02", submit=True)
    waiting = log_entry(mca, "4.3", "2009Q3", when="2009-10-03", submit=True)
    log_entry(mps, "3.1.a", "2009Q3", when="2009-10-03", submit=True)
    office = client_as("office")
    inbox_url = reverse("measures:review_inbox") + "?period=2009Q3&unit=MCA"
    inbox = office.get(inbox_url)
    assert [e.pk for e in inbox.context["page"]] == [entry.pk, waiting.pk]
    entry_link = f"{reverse('measures:entry', kwargs={'pk': entry.pk})}?inbox=period%3D2009Q3%26unit%3DMCA"
    assert f'href="{entry_link}#review"' in inbox.content.decode()
    page = office.get(entry_link).content.decode()
    assert '<input type="hidden" name="inbox" value="period=2009Q3&amp;unit=MCA">' in page
    assert f'href="{reverse("measures:review_inbox")}?period=2009Q3&amp;unit=MCA"' in page  # the way back
    review_url = reverse("measures:entry_review", kwargs={"pk": entry.pk, "decision": decision})
    response = office.post(
        review_url, {"version": entry.version, "comment": "请补充", "inbox": "period=2009Q3&unit=MCA"}
    )
    assert response.status_code == 302 and response.url == inbox_url
    after = office.get(response.url)
    assert [e.pk for e in after.context["page"]] == [waiting.pk]  # still only MCA's, still 2009 Q3
    assert after.context["selected_period"].code == "2009Q3" and after.context["unit_code"] == "MCA"
    # Without filters the decision goes back to the whole inbox; anything but the filters is dropped.
    response = office.post(
        reverse("measures:entry_review", kwargs={"pk": waiting.pk, "decision": decision}),
        {"version": waiting.version, "comment": "请补充", "inbox": "next=https://example.com/&unit=MPS"},
    )
    assert response.url == reverse("measures:review_inbox") + "?unit=MPS"
