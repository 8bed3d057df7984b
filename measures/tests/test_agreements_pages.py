"""Cooperation agreements' pages and API: the registry (filters, pages, the network picture and its
table), an agreement's page, its document and history, the form (no JavaScript; bad input named and
kept), who gets 404 and who 403, query counts at two sizes; the milestone on the Office's dashboard
and in the compiled reports (PDF and XLSX, both languages); the demo."""

import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation

from agencies.models import Province, User
from measures.demo.agreements import create_demo_agreements
from measures.models import AgreementParty, CooperationAgreement, Measure, Plan
from measures.selectors.agreements import milestone_standing, milestone_target
from measures.services.agreements import AgreementInput, PartyInput, agreement_save
from measures.views.agreements import short_name
from reports.choices import JobKind
from reports.services.compiled.build import build
from reports.services.compiled.pdf import render_pdf
from reports.services.compiled.spec import ReportSpec
from reports.services.compiled.xlsx import render_xlsx
from tests.compiled import pdf_text, xlsx_rows
from tests.personas import signed_in
from tests.progress import pdf
from tests.queries import page_queries

pytestmark = [pytest.mark.django_db, pytest.mark.portal_date("2010-01-10")]

REGISTRY = reverse("measures:agreements", kwargs={"plan": "2008-2012"})
RECORD = reverse("measures:agreement_record", kwargs={"plan": "2008-2012"})


def record(
    actor, *codes, signed="2008-06-18", status="in_force", abroad=None, document=None, title="合作意向书"
):
    provinces = {p.code: p for p in Province.objects.filter(code__in=codes)}
    parties = [PartyInput(province=provinces[code]) for code in codes]
    if abroad:
        parties.append(
            PartyInput(foreign_kind=abroad[0], foreign_name_zh=abroad[1], foreign_name_en=abroad[2])
        )
    data = AgreementInput(
        title_zh=title,
        title_en="",
        kind="letter_of_intent",
        signed_on=dt.date.fromisoformat(signed),
        status=status,
        summary="",
        measures=list(Measure.objects.filter(ref="2.3")),
        parties=parties,
    )
    return agreement_save(actor=actor, agreement_id=None, version=None, data=data, document=document)


def many(office, count: int) -> None:
    codes = ["530000", "440000", "520000", "330000", "510000", "320000", "450000", "370000"]
    for n in range(count):
        record(
            office, codes[n % 8], codes[(n + 3) % 8], signed=f"200{8 + n % 2}-0{1 + n % 9}-15",
            abroad=("country", f"国家{n}", f"Country {n}"), title=f"协议{n}",
        )  # fmt: skip


def form_data(**more) -> dict:
    data = {
        "title_zh": "云南省与广东省合作意向书",
        "title_en": "",
        "kind": "letter_of_intent",
        "signed_on": "2008-06-18",
        "status": "in_force",
        "summary": "",
        "party_rows": "4",
        "parties_0_province": str(Province.objects.get(code="530000").pk),
        "parties_1_province": str(Province.objects.get(code="440000").pk),
        "measures": [str(Measure.objects.get(ref="2.3").pk)],
    }
    data.update(more)
    return data


# --- The registry ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "status"),
    [("office", 200), ("auditor", 200), ("liaison_mca", 200), ("reporter_gx", 200), ("case_mps", 404)],
)
def test_who_reads_the_registry(client_as, persona, name, status):
    record(persona("office"), "530000", "440000")
    assert client_as(name).get(REGISTRY).status_code == status


def test_the_registry_filters_pages_and_draws_the_network(client_as, persona):
    office = persona("office")
    yn = record(office, "530000", "440000", title="云粤意向书")
    record(office, "450000", "370000", signed="2009-04-08", title="桂鲁意向书")
    record(office, "530000", abroad=("organisation", "联合国儿童基金会", "UNICEF"), title="云南儿基会协议")
    record(office, "410000", "110000", status="terminated", title="豫京意向书")
    client = client_as("liaison_mca")
    response = client.get(REGISTRY)
    titles = [a.title for a in response.context["page"]]
    assert titles == ["桂鲁意向书", "豫京意向书", "云南儿基会协议", "云粤意向书"]  # newest signed first
    html = response.content.decode()
    assert "<svg" in html and 'id="network-table"' in html and "联合国儿童基金会" in html
    assert 'stroke-dasharray="5 4"' in html  # the terminated link
    links = {
        (link.a.code, link.b.code if link.b else link.abroad) for link in response.context["network"]["links"]
    }
    assert links == {
        ("440000", "530000"),
        ("370000", "450000"),
        ("530000", "联合国儿童基金会"),
        ("110000", "410000"),
    }
    yunnan = client.get(REGISTRY, {"province": "530000"})
    assert {a.pk for a in yunnan.context["page"]} == {
        yn.pk,
        CooperationAgreement.objects.get(title_zh="云南儿基会协议").pk,
    }
    assert [a.title for a in client.get(REGISTRY, {"year": "2009"}).context["page"]] == ["桂鲁意向书"]
    assert [a.title for a in client.get(REGISTRY, {"status": "terminated"}).context["page"]] == ["豫京意向书"]
    measure = Measure.objects.get(ref="2.3").pk
    assert client.get(REGISTRY, {"measure": measure}).context["page"].paginator.count == 4
    assert (
        client.get(REGISTRY, {"measure": Measure.objects.get(ref="1.1").pk}).context["page"].paginator.count
        == 0
    )
    bad = client.get(REGISTRY, {"year": "twenty", "kind": "treaty"})
    assert bad.status_code == 400 and set(bad.context["form"].errors) == {"year", "kind"}


def test_the_registry_costs_the_same_queries_whatever_its_size(client_as, persona):
    office = persona("office")
    client = client_as("liaison_mca")
    many(office, 2)
    small = page_queries(client, REGISTRY)
    many(office, 25)
    assert page_queries(client, REGISTRY) == small
    assert page_queries(client, REGISTRY + "?province=530000&page=2") == small


# --- An agreement's page and its document -------------------------------------------------------------


def test_the_page_the_document_and_the_history(client_as, persona):
    agreement = record(persona("reporter_yn"), "530000", "440000", document=pdf("云粤意向书.pdf"))
    url = reverse("measures:agreement", kwargs={"pk": agreement.pk})
    document = reverse("measures:agreement_document", kwargs={"pk": agreement.pk})
    reader = client_as("liaison_mca")
    page = reader.get(url)
    assert page.status_code == 200 and "云粤意向书.pdf" in page.content.decode()
    assert not page.context["can_edit"] and len(page.context["history"]) == 1
    answer = reader.get(document)
    assert answer.status_code == 200 and b"".join(answer.streaming_content).startswith(b"%PDF-")
    case = client_as("case_mps")
    assert case.get(url).status_code == 404 and case.get(document).status_code == 404
    without = record(persona("office"), "520000", "330000")
    assert reader.get(reverse("measures:agreement_document", kwargs={"pk": without.pk})).status_code == 404


# --- The form ----------------------------------------------------------------------------------------------


def test_yunnans_officer_records_its_agreement_through_the_form(client, persona):
    yunnan = signed_in(client, persona("reporter_yn"))
    assert yunnan.get(RECORD).status_code == 200
    response = yunnan.post(RECORD, form_data(document=pdf("意向书.pdf")))
    agreement = CooperationAgreement.objects.get()
    assert response.status_code == 302 and response.url == reverse(
        "measures:agreement", kwargs={"pk": agreement.pk}
    )
    assert agreement.document_name == "意向书.pdf" and agreement.created_by == persona("reporter_yn")
    edit = reverse("measures:agreement_edit", kwargs={"pk": agreement.pk})
    form = yunnan.get(edit).context["form"]
    chosen = {form.initial["parties_0_province"], form.initial["parties_1_province"]}
    assert chosen == {Province.objects.get(code=code).pk for code in ("530000", "440000")} and form.rows == 4
    changed = yunnan.post(edit, form_data(status="expired", version="1"))
    assert changed.status_code == 302 and CooperationAgreement.objects.get().status == "expired"
    stale = yunnan.post(edit, form_data(status="terminated", version="1"))
    assert stale.status_code == 409 and stale.context["conflict"]
    assert stale.context["form"]["status"].value() == "terminated"  # what was typed is kept
    assert CooperationAgreement.objects.get().status == "expired"


def test_bad_input_names_the_field_keeps_what_was_typed_and_saves_nothing(client_as, persona):
    client = client_as("reporter_yn")
    gd = str(Province.objects.get(code="440000").pk)
    response = client.post(
        RECORD,
        form_data(
            title_zh="我的标题", signed_on="2011-01-01", parties_2_province=gd,
            parties_3_foreign_name_en="Somewhere",
        ),
    )  # fmt: skip
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert {"signed_on", "parties_2_province", "parties_3_foreign_kind"} <= set(errors)
    assert response.context["form"]["title_zh"].value() == "我的标题"
    assert "我的标题" in response.content.decode()
    assert not CooperationAgreement.objects.exists() and not AgreementParty.objects.exists()
    other = client.post(RECORD, form_data(parties_0_province=str(Province.objects.get(code="450000").pk)))
    assert other.status_code == 400 and "parties" not in other.context["form"].fields
    assert other.context["form"].non_field_errors()  # Yunnan's officer must name Yunnan


def test_more_party_rows_without_javascript(client_as):
    client = client_as("office")
    response = client.post(RECORD, form_data(more_parties="1", title_zh="三方协议"))
    assert response.status_code == 200 and response.context["form"].rows == 6
    assert not response.context["form"].errors and "三方协议" in response.content.decode()
    assert 'name="parties_5_province"' in response.content.decode()
    assert not CooperationAgreement.objects.exists()


@pytest.mark.parametrize(("name", "status"), [("liaison_mca", 403), ("auditor", 403), ("case_mps", 404)])
def test_who_may_not_record(client_as, name, status):
    client = client_as(name)
    assert client.get(RECORD).status_code == status
    assert client.post(RECORD, form_data()).status_code == status
    assert not CooperationAgreement.objects.exists()


def test_another_provinces_officer_sees_but_may_not_change(client_as, persona):
    agreement = record(persona("reporter_yn"), "530000", "440000")
    edit = reverse("measures:agreement_edit", kwargs={"pk": agreement.pk})
    gx = client_as("reporter_gx")
    assert gx.get(reverse("measures:agreement", kwargs={"pk": agreement.pk})).status_code == 200
    assert gx.get(edit).status_code == 403
    assert gx.post(edit, form_data(status="terminated", version="1")).status_code == 403
    assert client_as("case_mps").get(edit).status_code == 404
    assert CooperationAgreement.objects.get().status == "in_force"


# --- The API --------------------------------------------------------------------------------------------


def test_the_api_lists_filters_and_shows_parties_and_measures(api_as, persona):
    office = persona("office")
    yn = record(office, "530000", "440000")
    record(office, "450000", abroad=("country", "越南", "Viet Nam"), signed="2008-12-09")
    api = api_as("liaison_mca")
    listed = api.get("/api/agreements/").json()
    assert listed["count"] == 2
    assert api.get("/api/agreements/", {"province": "530000"}).json()["count"] == 1
    assert api.get("/api/agreements/", {"year": 2008, "kind": "letter_of_intent"}).json()["count"] == 2
    assert api.get("/api/agreements/", {"kind": "treaty"}).status_code == 400
    detail = api.get(f"/api/agreements/{yn.pk}/").json()
    assert [p["province"] for p in detail["parties"]] == ["440000", "530000"]
    assert detail["measure_labels"] == ["2.(3)"] and detail["version"] == 1
    assert api_as("case_mps").get(f"/api/agreements/{yn.pk}/").status_code == 404
    assert api_as("case_mps").get("/api/agreements/").json()["count"] == 0


def test_the_api_writes_with_the_same_rules(api_as, persona):
    body = {
        "title_zh": "云南省与广东省合作意向书",
        "kind": "letter_of_intent",
        "signed_on": "2008-06-18",
        "status": "in_force",
        "parties": [{"province": "530000"}, {"province": "440000"}],
        "measures": [Measure.objects.get(ref="2.3").pk],
    }
    yunnan = api_as("reporter_yn")
    created = yunnan.post("/api/agreements/", body, format="json")
    assert created.status_code == 201, created.json()
    pk = created.json()["id"]
    gx = api_as("reporter_gx")
    assert gx.post("/api/agreements/", body, format="json").status_code == 400  # Guangxi is no party
    assert (
        gx.patch(f"/api/agreements/{pk}/", {"status": "expired", "version": 1}, format="json").status_code
        == 403
    )
    assert api_as("liaison_mca").post("/api/agreements/", body, format="json").status_code == 403
    assert (
        api_as("case_mps").patch(f"/api/agreements/{pk}/", {"version": 1}, format="json").status_code == 404
    )
    bad = yunnan.post(
        "/api/agreements/",
        {**body, "parties": [{"province": "530000"}, {"province": "999999"}, {"foreign_kind": "country"}]},
        format="json",
    )
    assert bad.status_code == 400 and "parties.1.province" in bad.json()
    bad = yunnan.post(
        "/api/agreements/",
        {**body, "parties": [{"province": "530000"}, {"foreign_kind": "country"}]},
        format="json",
    )
    assert bad.status_code == 400 and "parties.1.foreign_name_zh" in bad.json()
    assert yunnan.post("/api/agreements/", {**body, "measures": [10**9]}, format="json").status_code == 400
    assert CooperationAgreement.objects.count() == 1
    assert (
        yunnan.patch(f"/api/agreements/{pk}/", {"status": "expired"}, format="json").status_code == 400
    )  # no version
    changed = yunnan.patch(f"/api/agreements/{pk}/", {"status": "expired", "version": 1}, format="json")
    assert changed.status_code == 200 and changed.json()["version"] == 2
    assert {p["province"] for p in changed.json()["parties"]} == {"530000", "440000"}  # kept
    stale = yunnan.patch(f"/api/agreements/{pk}/", {"status": "terminated", "version": 1}, format="json")
    assert stale.status_code == 409 and CooperationAgreement.objects.get().status == "expired"


def test_the_api_judges_the_milestone(api_as, persona):
    record(persona("office"), "530000", "440000")
    record(persona("office"), "450000", "370000", signed="2009-04-08")
    answer = api_as("auditor").get("/api/agreements/milestone/")
    assert answer.status_code == 200
    data = answer.json()
    rows = {row["province"]: row for row in data["provinces"]}
    assert (
        data["target"] == "province_cooperation_letters_2008"
        and data["due_on"] == "2008-12-31"
        and data["due"]
    )
    assert rows["530000"]["verdict"] == "signed" and rows["530000"]["partners"] == ["440000"]
    assert rows["450000"]["verdict"] == "late" and rows["500000"]["verdict"] == "not_signed"
    assert data["signed"] == 2
    early = api_as("office").get("/api/agreements/milestone/", {"on": "2008-07-01"}).json()
    assert {row["province"]: row["verdict"] for row in early["provinces"]}["500000"] == "not_yet_due"
    assert api_as("office").get("/api/agreements/milestone/", {"on": "soon"}).status_code == 400
    assert api_as("office").get("/api/agreements/milestone/", {"plan": "1999-2000"}).status_code == 404
    assert api_as("case_mps").get("/api/agreements/milestone/").status_code == 404


# --- The dashboard and the compiled reports -----------------------------------------------------------------


def test_the_office_sees_on_its_dashboard_who_had_signed_by_the_end_of_2008(client_as, persona):
    office = persona("office")
    record(office, "530000", "440000")
    record(office, "450000", "370000", signed="2009-04-08")
    client = client_as("office")
    response = client.get(reverse("reports:dashboard"))
    milestone = response.context["milestone"]
    assert {row.province.code for row in milestone.signed} == {"530000", "440000"}
    html = response.content.decode()
    section = html[html.index('id="cooperation-milestone"') :]
    signed = section[section.index('id="milestone-signed"') : section.index('id="milestone-not-signed"')]
    assert "云南省" in signed and "广东省" in signed and "广西壮族自治区" not in signed
    assert "广西壮族自治区" in section and "重庆市" in section  # not signed: late, and nothing at all
    assert milestone.signed_count == 2 and milestone.not_signed_count == len(milestone.rows) - 2
    liaison = client_as("liaison_mca").get(reverse("reports:dashboard"))
    assert "milestone" not in liaison.context and 'id="cooperation-milestone"' not in liaison.content.decode()


def test_the_dashboard_costs_the_same_queries_whatever_the_registry(client_as, persona):
    office = persona("office")
    client = client_as("office")
    many(office, 2)
    small = page_queries(client, reverse("reports:dashboard"))
    many(office, 20)
    assert page_queries(client, reverse("reports:dashboard")) == small


def spec(kind, period="2009Q4", language="zh-hans") -> ReportSpec:
    plan = Plan.objects.get()
    return ReportSpec(kind, plan, plan.periods.with_code(period).get(), language)


def section_of(report, key="agreements"):
    return next(s for s in report.sections if s.key == key)


@pytest.mark.parametrize("kind", [JobKind.QUARTERLY_REPORT, JobKind.ANNUAL_REPORT])
def test_the_compiled_reports_have_the_milestones_section_in_both_languages(persona, kind):
    office = persona("office")
    record(office, "530000", "440000")
    record(office, "450000", "370000", signed="2009-04-08")
    record(office, "410000", "110000", status="terminated")
    for language, signed, late in (
        ("zh-hans", "按期签署", "逾期签署"),
        ("en", "Signed in time", "Signed after the due date"),
    ):
        with translation.override(language):
            report = build(spec(kind, language=language), lambda percent, line: None)
            rows = {row[0]: row for row in section_of(report).tables[0].rows}
            yunnan = rows["云南省" if language == "zh-hans" else "Yunnan Province"]
            guangxi = rows["广西壮族自治区" if language == "zh-hans" else "Guangxi Zhuang Autonomous Region"]
            assert yunnan[2] == signed and yunnan[3] in ("广东省", "Guangdong Province")
            assert guangxi[2] == late
            assert ("2 of the 16" if language == "en" else "16") in section_of(report).intro
            sheets = xlsx_rows(render_xlsx(report))
            assert any(
                row and row[0] == yunnan[0] and row[2] == signed for sheet in sheets.values() for row in sheet
            )
    with translation.override("en"):
        text = " ".join(pdf_text(render_pdf(report)).split())  # a cell's text may wrap
    assert "7. Cooperation agreements (2.(3))" in text and "Signed after the due date" in text


def test_before_the_due_date_the_section_says_not_yet_due(persona):
    record(persona("office"), "530000", "440000")
    with translation.override("en"):
        report = build(spec(JobKind.QUARTERLY_REPORT, "2008Q2", "en"), lambda percent, line: None)
    rows = {row[0]: row for row in section_of(report).tables[0].rows}
    assert rows["Yunnan Province"][2] == "Signed in time"
    assert rows["Chongqing Municipality"][2] == "Not signed yet (not yet due)"


def milestone_row(report):
    targets = section_of(report, "targets")
    return next(row for row in targets.tables[0].rows if row[0].startswith("By the end of 2008"))


def test_the_targets_table_judges_the_milestone_from_the_registry_as_its_section_does(persona):
    office = persona("office")
    record(office, "530000", "440000")
    with translation.override("en"):
        row = milestone_row(build(spec(JobKind.ANNUAL_REPORT, "2009Q4", "en"), lambda percent, line: None))
        assert "Registry of cooperation agreements: 2 of 16" in row[2] and row[3] == "Not met"
        early = build(spec(JobKind.QUARTERLY_REPORT, "2008Q2", "en"), lambda percent, line: None)
        assert milestone_row(early)[3] == "Not yet due"
        yunnan = ReportSpec(
            JobKind.PROVINCE_REPORT, Plan.objects.get(), Plan.objects.get().periods.with_code("2009Q4").get(),
            "en", province=Province.objects.get(code="530000"),
        )  # fmt: skip
        row = milestone_row(build(yunnan, lambda percent, line: None))
        assert "1 of 1" in row[2] and "Measure 2.(3)" in row[2] and row[3] == "Met"


def test_province_and_unit_reports_have_no_such_section(persona):
    plan = Plan.objects.get()
    period = plan.periods.with_code("2009Q4").get()
    province = ReportSpec(
        JobKind.PROVINCE_REPORT, plan, period, "zh-hans", province=Province.objects.get(code="530000")
    )
    with translation.override("zh-hans"):
        report = build(province, lambda percent, line: None)
    assert "agreements" not in {s.key for s in report.sections}


# --- The demo ---------------------------------------------------------------------------------------


def test_the_demo_shows_both_signed_and_not_signed(plan, client):
    call_command("create_demo_users", force=True, stdout=io.StringIO())
    made = create_demo_agreements()
    assert made == 7 and create_demo_agreements() == 0
    office = User.objects.get(username="office")
    result = milestone_standing(office, milestone_target(plan))
    rows = {row.province.code: row for row in result.rows}
    assert rows["530000"].verdict == "signed" and [p.code for p in rows["530000"].partners] == ["440000"]
    assert rows["450000"].verdict == "late" and rows["410000"].verdict == "not_signed"
    assert rows["510000"].verdict == "signed" and rows["340000"].verdict == "not_signed"
    assert CooperationAgreement.objects.get(title_zh__startswith="四川").status == "expired"
    assert AgreementParty.objects.filter(foreign_kind="organisation").exists()
    yunnan = CooperationAgreement.objects.get(title_zh="云南省与广东省反对拐卖妇女儿童合作意向书")
    assert yunnan.created_by.username == "province.yn" and yunnan.document_name
    page = signed_in(client, office).get(REGISTRY)
    assert page.status_code == 200 and page.context["page"].paginator.count == 7


def test_the_picture_names_each_province_short_in_both_languages(plan):
    names = {}
    for code in ("150000", "450000", "530000", "110000", "640000"):
        province = Province.objects.get(code=code)
        with translation.override("en"):
            english = short_name(province)
        names[code] = (short_name(province), english)
    assert names == {
        "150000": ("内蒙古", "Inner Mongolia"),
        "450000": ("广西", "Guangxi"),
        "530000": ("云南", "Yunnan"),
        "110000": ("北京", "Beijing"),
        "640000": ("宁夏", "Ningxia"),
    }
