"""The plan browser, page by page, in both languages, with the exports and the query counts."""

import csv
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from tests.factories import load_double_plan
from tests.queries import page_queries

pytestmark = pytest.mark.django_db

PAGES = [
    ("measures:plan", {}, "中国反对拐卖妇女儿童行动计划", "China National Plan of Action"),
    ("measures:area", {"seq": 2}, "建立健全预防犯罪机制", "Measures"),
    ("measures:measure", {"ref": "2.2.b"}, "航空港", "Responsible"),
    ("measures:units", {}, "全国妇联", "All-China Women"),
    ("measures:unit", {"unit": "MCA"}, "民政部", "Measures where the unit cooperates"),
    ("measures:matrix", {}, "责任分工矩阵", "Responsibility matrix"),
]


def set_language(client, code):
    client.post(reverse("set_language"), {"language": code, "next": "/"})


@pytest.mark.parametrize(("name", "kwargs", "zh", "en"), PAGES, ids=[p[0] for p in PAGES])
@pytest.mark.parametrize("persona_name", ["liaison_mca", "office", "reporter_gx", "auditor"])
def test_every_page_in_both_languages(client_as, plan, name, kwargs, zh, en, persona_name):
    client = client_as(persona_name)
    url = reverse(name, kwargs={"plan": plan.code, **kwargs})
    response = client.get(url)
    assert response.status_code == 200
    body = response.content.decode()
    assert zh in body and 'lang="zh-hans"' in body, "Chinese is the default"
    set_language(client, "en")
    body = client.get(url).content.decode()
    assert en in body and '<html lang="en">' in body


def test_chinese_is_the_default_whatever_the_browser_asks(client_as, plan):
    response = client_as("office").get(
        reverse("measures:plan", kwargs={"plan": plan.code}), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9"
    )
    assert "行动领域" in response.content.decode()


@pytest.mark.parametrize(
    "url",
    ["/", "/plans/2008-2012/", "/plans/2008-2012/matrix/", "/plans/2008-2012/matrix.csv", "/provinces/"],
)
def test_anonymous_users_are_sent_to_sign_in(client, plan, url):
    response = client.get(url)
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


def test_inactive_account_cannot_sign_in(client, persona):
    persona("outsider")
    response = client.post(reverse("login"), {"username": "outsider", "password": "persona-password-1"})
    assert response.status_code == 200 and "_auth_user_id" not in client.session


@pytest.mark.parametrize(
    "url",
    [
        "/plans/1999-2000/",
        "/plans/2008-2012/areas/9/",
        "/plans/2008-2012/measures/9.9/",
        "/plans/2008-2012/units/NOPE/",
    ],
)
def test_unknown_things_answer_404(client_as, plan, url):
    response = client_as("liaison_mca").get(url)
    assert response.status_code == 404
    assert "There is nothing here" in response.content.decode() or "没有" in response.content.decode()


def test_units_are_listed_in_the_plans_order(client_as, plan):
    response = client_as("office").get(reverse("measures:units", kwargs={"plan": plan.code}))
    codes = [row.unit.code for row in response.context["members"]]
    assert codes[:3] == ["MPS", "CPD", "CCCO"] and codes[-1] == "IMCS_OFFICE"


def test_the_top_bar_links_to_the_matrix_on_every_page(client_as, plan):
    body = client_as("reporter_gx").get(reverse("provinces")).content.decode()
    assert reverse("measures:matrix", kwargs={"plan": plan.code}) in body


def test_home_leads_to_the_current_plan(client_as, plan):
    response = client_as("liaison_mca").get("/")
    assert response.status_code == 302 and response.url == reverse(
        "measures:plan", kwargs={"plan": plan.code}
    )


def test_overview_shows_areas_with_counts_and_targets(client_as, plan):
    body = client_as("office").get(reverse("measures:plan", kwargs={"plan": plan.code})).content.decode()
    for title in ["创造良好的社会环境和工作氛围", "加强国际合作"]:
        assert title in body
    assert "到2008年底" in body and "2007" in body
    assert "建立全国反拐信息系统" in body  # strategic measure 6


def test_measure_page_shows_both_texts_and_the_units(client_as, plan):
    body = (
        client_as("office")
        .get(reverse("measures:measure", kwargs={"plan": plan.code, "ref": "5.5"}))
        .content.decode()
    )
    assert "外交部" in body and "商务部" in body and "公安部负责,外交部、商务部配合" in body
    assert "Note on the translation" in body or "译文说明" in body


def test_unit_page_lists_responsible_and_cooperating_measures(client_as, plan):
    response = client_as("liaison_mca").get(
        reverse("measures:unit", kwargs={"plan": plan.code, "unit": "MCA"})
    )
    responsible = [m.ref for m in response.context["responsible"]]
    cooperating = [m.ref for m in response.context["cooperating"]]
    assert "2.1.b" in responsible and "4.2.a" in responsible and "4.1.a" in responsible
    assert "1.1" in cooperating and "4.4" in cooperating
    assert not set(responsible) & set(cooperating)


def test_matrix_csv(client_as, plan):
    response = client_as("liaison_mca").get(
        reverse("measures:matrix_export", kwargs={"plan": plan.code, "fmt": "csv"})
    )
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    header, body = rows[0], rows[1:]
    assert len(header) == 2 + 50 and header[2] == "1.1" and header[-1] == "5.5"
    by_code = {row[0]: row for row in body}
    assert len(body) == 29  # 28 member units and the IMCS Office
    assert by_code["LAO"][header.index("1.1")] == "R"
    assert by_code["MFA"][header.index("5.5")] == "C"
    assert by_code["IMCS_OFFICE"][header.index("2.3")] == "R"


def test_matrix_xlsx(client_as, plan):
    response = client_as("office").get(
        reverse("measures:matrix_export", kwargs={"plan": plan.code, "fmt": "xlsx"})
    )
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet.freeze_panes == "C2"  # header row and unit columns stay in view
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("代码", "单位", "1.1")
    mps = next(r for r in rows if r[0] == "MPS")
    assert mps[1] == "公安部" and mps[rows[0].index("1.2")] == "R"
    marks = [v for r in rows[1:] for v in r[2:] if v]
    assert len(marks) == 158


def test_unknown_export_format_is_404(client_as, plan):
    assert client_as("office").get(f"/plans/{plan.code}/matrix.pdf").status_code == 404


@pytest.mark.parametrize(
    ("name", "kwargs"),
    [
        ("measures:plan", {}),
        ("measures:matrix", {}),
        ("measures:units", {}),
        ("measures:area", {"seq": 4}),
        ("measures:unit", {"unit": "MCA"}),
        ("measures:measure", {"ref": "4.1"}),
    ],
)
def test_query_counts_do_not_grow_with_data(client_as, plan, name, kwargs):
    """The same page of a plan twice the size costs the same number of queries."""
    double = load_double_plan()
    client = client_as("office")
    counts = []
    for p in (plan, double):
        url = reverse(name, kwargs={"plan": p.code, **kwargs})
        counts.append(page_queries(client, url))
    assert counts[0] == counts[1] <= 12, counts
