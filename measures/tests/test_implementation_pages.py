"""Implementation plans' pages: the owner's form (lines, yearly targets, a province's local
measures with targets per division; bad input named and kept), the plan's page and document, the
Office's decisions and table of who has no plan yet, the self-check; who sees what (404, 403), and
query counts at two sizes."""

import datetime as dt

import pytest
from django.urls import reverse

from agencies.models import MemberUnit
from core.choices import ReviewState, Role
from measures.models import ImplementationLine, ImplementationPlan, Measure, SelfCheck
from measures.selectors.lineage import units_writing_plans
from measures.services.implementation import implementation_plan_accept, implementation_plan_submit
from tests.implementation import accepted_plan, form_data, line, save_plan
from tests.personas import make_agency, make_user, signed_in
from tests.progress import pdf
from tests.queries import page_queries

pytestmark = [pytest.mark.django_db, pytest.mark.portal_date("2009-10-10")]

PLAN = "2008-2012"
EDIT = reverse("measures:implementation_plan_edit", kwargs={"plan": PLAN})
LIST = reverse("measures:implementation_plans", kwargs={"plan": PLAN})


def detail(record) -> str:
    return reverse("measures:implementation_plan", kwargs={"pk": record.pk})


def measure_pk(ref: str) -> int:
    return Measure.objects.get(plan__code=PLAN, ref=ref).pk


def a_line(ref="2.1", **values) -> dict:
    return {
        "measure": measure_pk(ref),
        "kind": "action",
        "text": "开展专项行动",
        "office_in_charge": "刑侦总队",
        **values,
    }


def test_yunnan_enters_its_plan_with_a_local_measure_and_targets_per_division(client_as):
    client = client_as("reporter_yn")
    assert client.get(LIST).url == EDIT  # no plan yet: the form
    page = client.get(EDIT)
    assert page.status_code == 200 and "division-targets" in page.content.decode()
    data = form_data(
        [
            a_line(budget="500000", target_2008="破案100起", quantity_2008="100"),
            a_line(kind="local_measure", title="边境联合巡逻", text="与缅甸接壤州市联合巡逻"),
        ],
        [
            {"line": "1", "year": "2009", "division": "530100", "text": "巡逻12次", "quantity": "12"},
            {"line": "1", "year": "2009", "division": "533100", "text": "巡逻24次", "quantity": "24"},
        ],
        document=pdf("云南省实施计划.pdf"),
        submit="1",
    )
    response = client.post(EDIT, data)
    record = ImplementationPlan.objects.get(province__code="530000")
    assert response.status_code == 302 and response.url == detail(record)
    assert record.state == ReviewState.SUBMITTED
    local = record.lines.get(kind="local_measure")
    assert sorted(local.targets.values_list("division__code", "quantity")) == [("530100", 12), ("533100", 24)]
    body = client.get(detail(record)).content.decode()
    assert "边境联合巡逻" in body and "昆明市" in body and "德宏" in body and "云南省实施计划.pdf" in body
    assert client.get(LIST).url == detail(record)  # the owner's list is its plan


def test_a_negative_budget_on_line_three_names_the_field_keeps_the_typing_and_saves_nothing(client_as):
    client = client_as("liaison_mps")
    data = form_data(
        [a_line(text="第一行"), a_line("2.2", text="第二行"), a_line("2.3", text="第三行", budget="-5")]
    )
    response = client.post(EDIT, data)
    assert response.status_code == 400
    body = response.content.decode()
    assert 'id="id_lines-2-budget"' in body and "第一行" in body and "第三行" in body
    assert response.context["line_forms"].forms[2].errors["budget"]
    assert not ImplementationPlan.objects.exists() and not ImplementationLine.objects.exists()


def test_a_division_outside_the_province_is_named_on_its_row(client_as):
    make_agency("ATO-450000")
    data = form_data(
        [a_line(kind="local_measure")],
        [{"line": "0", "year": "2013", "division": "530100", "text": "超出计划年份"}],
    )
    response = client_as("reporter_yn").post(EDIT, data)
    assert response.status_code == 400
    assert response.context["target_forms"].forms[0].errors["year"]
    assert not ImplementationPlan.objects.exists()


def test_a_service_refusal_comes_back_by_its_line_and_field(client_as, persona):
    data = form_data([a_line(), a_line(kind="local_measure")])  # a unit adds no local measure
    response = client_as("liaison_mps").post(EDIT, data)
    assert response.status_code == 400
    assert response.context["line_forms"].forms[1].errors["kind"]


def test_adding_a_row_saves_nothing_and_keeps_what_was_typed(client_as):
    client = client_as("reporter_yn")
    response = client.post(EDIT, form_data([a_line(text="已经写的")], add_line="1"))
    assert response.status_code == 200 and len(response.context["line_forms"].forms) == 2
    assert "已经写的" in response.content.decode()
    assert not ImplementationPlan.objects.exists()


def test_editing_keeps_the_lines_and_removes_a_deleted_one(client_as, persona):
    record = save_plan(persona("liaison_mps"), [line("2.1", "甲"), line("2.2", "乙")])
    first, second = record.lines.order_by("seq")
    client = client_as("liaison_mps")
    page = client.get(EDIT)
    assert page.context["line_forms"].forms[0].initial["line_id"] == first.pk
    data = form_data(
        [
            a_line(line_id=first.pk, text="甲改"),
            a_line("2.2", line_id=second.pk, text="乙", DELETE="on"),
        ],
        version=record.version,
    )
    data["lines-INITIAL_FORMS"] = "2"
    assert client.post(EDIT, data).status_code == 302
    assert list(ImplementationLine.objects.values_list("pk", "text")) == [(first.pk, "甲改")]


def test_a_stale_form_is_409_and_keeps_the_typing(client_as, persona):
    record = save_plan(persona("liaison_mps"), [line("2.1", "甲")])
    response = client_as("liaison_mps").post(EDIT, form_data([a_line(text="我的改动")], version=0))
    assert response.status_code == 409 and "我的改动" in response.content.decode()
    assert ImplementationPlan.objects.get().version == record.version


def test_who_sees_a_plan(client, persona):
    mps_draft = save_plan(persona("liaison_mps"), [line("2.1")])
    yunnan = save_plan(persona("reporter_yn"), [line("2.1")])
    make_agency("ATO-530100")
    kunming = make_user("km", Role.PROVINCE, agency="ATO-530100")
    assert signed_in(client, persona("liaison_mca")).get(detail(mps_draft)).status_code == 404
    assert signed_in(client, persona("office")).get(detail(mps_draft)).status_code == 404  # a draft
    assert signed_in(client, kunming).get(detail(yunnan)).status_code == 404  # its province's draft
    implementation_plan_submit_by(persona("reporter_yn"), yunnan)
    assert signed_in(client, kunming).get(detail(yunnan)).status_code == 200  # sent: it carries it out
    assert signed_in(client, persona("reporter_gx")).get(detail(yunnan)).status_code == 404
    assert signed_in(client, persona("auditor")).get(detail(yunnan)).status_code == 200


def implementation_plan_submit_by(owner, record):
    return implementation_plan_submit(actor=owner, record_id=record.pk, version=record.version)


def test_read_only_readers_are_403_on_writes(client, persona):
    record = save_plan(persona("liaison_mps"), [line("2.1")], submit=True)
    auditor = signed_in(client, persona("auditor"))
    assert auditor.get(EDIT).status_code == 403
    url = reverse("measures:implementation_plan_decide", kwargs={"pk": record.pk, "decision": "accept"})
    assert auditor.post(url, {"version": record.version, "comment": ""}).status_code == 403
    assert ImplementationPlan.objects.get().state == ReviewState.SUBMITTED
    other = signed_in(client, persona("liaison_mca"))
    assert other.post(url, {"version": record.version}).status_code == 404


def test_the_office_accepts_and_returns_from_the_plans_page(client_as, persona):
    record = save_plan(persona("liaison_mps"), [line("2.1")], submit=True)
    client = client_as("office")
    page = client.get(detail(record))
    assert 'name="accept"' in page.content.decode()
    url = reverse("measures:implementation_plan_decide", kwargs={"pk": record.pk, "decision": "return"})
    response = client.post(url, {"version": record.version, "comment": ""})
    assert response.status_code == 400 and response.context["decision_form"].errors["comment"]
    accept = reverse("measures:implementation_plan_decide", kwargs={"pk": record.pk, "decision": "accept"})
    assert client.post(accept, {"version": record.version, "comment": ""}).url == LIST
    assert ImplementationPlan.objects.get().state == ReviewState.ACCEPTED
    owner_page = client_as("liaison_mps").get(detail(record)).content.decode()
    assert "state-accepted" in owner_page


def test_the_document_goes_only_to_those_who_see_the_plan(client, persona):
    record = save_plan(persona("liaison_mps"), [line("2.1")], document=pdf("公安部实施计划.pdf"))
    url = reverse("measures:implementation_document", kwargs={"pk": record.pk})
    response = signed_in(client, persona("liaison_mps")).get(url)
    assert response.status_code == 200 and b"".join(response.streaming_content).startswith(b"%PDF")
    assert signed_in(client, persona("office")).get(url).status_code == 404  # a draft
    assert signed_in(client, persona("liaison_mca")).get(url).status_code == 404


def test_the_offices_table_names_who_has_no_plan_yet(client_as, persona):
    save_plan(persona("liaison_mps"), [line("2.1")], submit=True)
    save_plan(persona("liaison_mca"), [line("2.1")])  # a draft: the Office sees none yet
    response = client_as("office").get(LIST + "?show=missing")
    codes = {row.code for row in response.context["page"].paginator.object_list}
    assert len(response.context["page"]) == 50  # paged
    assert "MPS" not in codes and "MCA" in codes and "530000" in codes
    assert response.context["counts"]["submitted"] == 1
    # The 28 members as the 2008 restructuring left them: 人事部 and 劳动保障部 merged into 人力资源
    # 社会保障部, 交通部 and 民航总局 renamed (27 units write plans), and the 31 provinces.
    assert response.context["page"].paginator.count == 27 + 31 - 1
    assert {"MOHRSS", "MOT", "CAACB"} <= codes and not {"MOP", "MOLSS", "MOC", "CAAC"} & codes
    assert "IMCS_OFFICE" not in codes  # not a member unit
    provinces = client_as("office").get(LIST + "?kind=province").context["page"].paginator.count
    assert provinces == 31


def test_the_offices_table_costs_the_same_with_more_plans(client_as, persona, office):
    client = client_as("office")
    save_plan(persona("liaison_mps"), [line("2.1")], submit=True)
    few = page_queries(client, LIST)
    for name in ("liaison_mca", "reporter_yn", "reporter_gx"):
        save_plan(persona(name), [line("2.1"), line("2.2")], submit=True)
    assert page_queries(client, LIST) == few


def test_the_owners_pages_cost_the_same_with_more_lines(client_as, persona):
    yunnan = persona("reporter_yn")
    record = save_plan(yunnan, [line("2.1", years={2009: "甲"})])
    client = client_as("reporter_yn")
    small = (page_queries(client, detail(record)), page_queries(client, EDIT))
    lines = [ln for ln in record.lines.all()]
    more = [line("2.1", line_id=lines[0].pk, years={2009: "甲"})]
    divisions = [(2010, "530100", "丙")]
    more += [line(n, local=True, years={2009: "乙"}, divisions=divisions) for n in ("2.2", "2.3", "3.1")]
    save_plan(yunnan, more, version=record.version)
    assert (page_queries(client, detail(record)), page_queries(client, EDIT)) == small


def test_the_self_check_page(client_as, persona, office):
    record = accepted_plan(persona("reporter_yn"), office)
    ln = record.lines.get()
    url = reverse("measures:implementation_self_check", kwargs={"pk": record.pk, "year": 2009})
    client = client_as("reporter_yn")
    assert "self-check/2009/" in client.get(detail(record)).content.decode()
    response = client.post(url, {f"line_{ln.pk}_status": "bogus"})
    assert response.status_code == 400 and response.context["form"].errors[f"line_{ln.pk}_status"]
    response = client.post(url, {f"line_{ln.pk}_status": "on_track", f"line_{ln.pk}_note": "按计划推进"})
    assert response.status_code == 302
    assert SelfCheck.objects.get().status == "on_track"
    office_client = client_as("office")
    page = office_client.get(url)
    assert page.status_code == 200 and "按计划推进" in page.content.decode() and page.context["form"] is None
    assert office_client.post(url, {f"line_{ln.pk}_status": "done"}).status_code == 403
    assert client_as("reporter_gx").get(url).status_code == 404
    future = reverse("measures:implementation_self_check", kwargs={"pk": record.pk, "year": 2011})
    assert client.get(future).status_code == 404


def test_the_hub_links_to_the_plans(client_as):
    body = client_as("office").get(reverse("measures:coordination", kwargs={"plan": PLAN})).content.decode()
    assert LIST in body


def test_accepting_through_the_service_then_the_owner_cannot_edit(client_as, persona, office):
    record = save_plan(persona("liaison_mps"), [line("2.1")], submit=True)
    implementation_plan_accept(actor=office, record_id=record.pk, version=record.version)
    response = client_as("liaison_mps").get(EDIT)
    assert response.status_code == 302 and response.url == detail(record)


def test_a_prefectures_reporter_lists_its_provinces_sent_plan_only(client, persona):
    yunnan = save_plan(persona("reporter_yn"), [line("2.1")])
    save_plan(persona("reporter_gx"), [line("2.1")], submit=True)
    make_agency("ATO-530100")
    kunming = signed_in(client, make_user("km", Role.PROVINCE, agency="ATO-530100"))
    assert [row.record for row in kunming.get(LIST).context["page"]] == []  # its province's draft
    implementation_plan_submit(actor=persona("reporter_yn"), record_id=yunnan.pk, version=yunnan.version)
    page = kunming.get(LIST)
    assert [row.record.pk for row in page.context["page"]] == [yunnan.pk] and page.context["counts"] is None
    assert kunming.get(EDIT).status_code == 403  # it writes no plan: its province does


def test_a_successor_writes_the_plan_and_its_predecessor_none(client, plan):
    """The plan was adopted in 2007; from 15 March 2008 人力资源社会保障部 answers for the work of 人事部
    and 劳动保障部: it writes the plan (its menu link leads to its form), they no longer do."""
    edit = reverse("measures:implementation_plan_edit", kwargs={"plan": PLAN})
    successor = make_user("liaison_mohrss", Role.LIAISON, unit="MOHRSS")
    assert signed_in(client, successor).get(edit).status_code == 200
    record = save_plan(successor, [line("2.1")], submit=True)
    assert (record.unit.code, record.state) == ("MOHRSS", ReviewState.SUBMITTED)
    predecessor = make_user("liaison_molss", Role.LIAISON, unit="MOLSS")
    assert signed_in(client, predecessor).get(edit).status_code == 404


def test_the_units_writing_plans_follow_the_restructuring_by_date(plan):
    before = units_writing_plans(plan, dt.date(2008, 3, 14))
    after = units_writing_plans(plan, dt.date(2008, 3, 15))
    codes = dict(MemberUnit.objects.values_list("pk", "code"))
    before, after = [codes[pk] for pk in before], [codes[pk] for pk in after]
    assert len(before) == 28 and {"MOP", "MOLSS", "MOC", "CAAC"} <= set(before)
    assert after[before.index("MOP")] == "MOHRSS" and "MOLSS" not in after and len(after) == 27
    assert set(after) == set(before) - {"MOP", "MOLSS", "MOC", "CAAC"} | {"MOHRSS", "MOT", "CAACB"}
