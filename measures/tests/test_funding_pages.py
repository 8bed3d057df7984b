"""Funding by channel, the pages: the owner's page of a year (add, edit, delete; a form error names
the field and keeps what was typed), the totals by channel, year, area and owner, who sees what
(404 for another owner's line, 403 for a reader who may not change) and query counts at two sizes."""

from decimal import Decimal

import pytest
from django.urls import reverse

from core.choices import Role
from measures.choices import FundingChannel
from measures.models import FundingLine
from tests.funding import PLAN, add_line, lines_of
from tests.personas import make_agency, make_user, reporters_elsewhere, signed_in
from tests.queries import page_queries

pytestmark = pytest.mark.django_db

HOME = reverse("measures:funding", kwargs={"plan": PLAN})
TOTALS = reverse("measures:funding_totals", kwargs={"plan": PLAN})


def edit_url(line) -> str:
    return reverse("measures:funding_line_edit", kwargs={"pk": line.pk})


def form(**fields) -> dict:
    values = {"year": "2009", "channel": "budget", "area": "", "budgeted": "", "amount": "1,200.50"}
    values.update(fields)
    return values


@pytest.fixture
def world(persona):
    mca, yn = persona("liaison_mca"), persona("reporter_yn")
    return {
        "mca_budget": add_line(mca, budgeted="300000", amount="250000", area=3),
        "mca_aid": add_line(mca, channel=FundingChannel.INTERNATIONAL_AID, donor="UNICEF", amount="80000"),
        "yn_budget": add_line(yn, year=2008, budgeted="500000", amount="420000", area=2),
        "yn_gift": add_line(yn, channel=FundingChannel.DONATION, donor_kind="enterprise", amount="50000"),
    }


def test_the_hub_leads_to_funding(client_as, plan):
    page = client_as("liaison_mca").get(reverse("measures:coordination", kwargs={"plan": PLAN}))
    assert f'href="{HOME}"' in page.content.decode()


def test_the_owner_sees_its_own_lines_of_the_year(client_as, world):
    page = client_as("liaison_mca").get(f"{HOME}?year=2009").content.decode()
    assert f'id="line-{world["mca_budget"].pk}"' in page and "UNICEF" in page
    assert f'id="line-{world["yn_gift"].pk}"' not in page
    assert "¥330,000.00" in page  # the year's total, all channels
    assert (
        f'id="line-{world["mca_budget"].pk}"'
        not in client_as("liaison_mca").get(f"{HOME}?year=2008").content.decode()
    )


def test_the_owner_adds_a_line_typed_as_people_type(client_as, persona):
    response = client_as("reporter_yn").post(
        HOME, form(budgeted="¥2,000", amount="1,200.50", area="") | {"year": "2010"}
    )
    assert response.status_code == 302 and response.url.endswith("?year=2010")
    line = FundingLine.objects.get()
    assert (line.province.code, line.year, line.budgeted, line.amount) == (
        "530000", 2010, Decimal("2000.00"), Decimal("1200.50"))  # fmt: skip


@pytest.mark.parametrize(
    ("fields", "named", "kept"),
    [
        ({"amount": "-5"}, "amount", "-5"),
        ({"amount": "abc"}, "amount", "abc"),
        ({"amount": "1e9"}, "amount", "1e9"),
        ({"budgeted": "1.005"}, "budgeted", "1.005"),
        ({"channel": "donation"}, "donor_kind", "1,200.50"),
        ({"channel": "international_aid"}, "donor", "1,200.50"),
        ({"year": "2020"}, "year", "1,200.50"),
    ],
)
def test_a_form_error_names_the_field_and_keeps_what_was_typed(client_as, persona, fields, named, kept):
    response = client_as("liaison_mca").post(HOME, form(**fields))
    assert response.status_code == 400
    assert named in response.context["form"].errors
    assert f'value="{kept}"' in response.content.decode()
    assert not FundingLine.objects.exists()


def test_the_owner_edits_with_version_and_deletes(client_as, world):
    client, line = client_as("liaison_mca"), world["mca_budget"]
    page = client.get(edit_url(line))
    assert page.status_code == 200 and 'value="250000.00"' in page.content.decode()
    saved = client.post(
        edit_url(line), form(budgeted="300000", amount="260000", area=str(line.area_id), version="1")
    )
    assert saved.status_code == 302
    line.refresh_from_db()
    assert (line.amount, line.version) == (Decimal("260000.00"), 2)
    stale = client.post(edit_url(line), form(amount="1", version="1"))
    assert stale.status_code == 409
    line.refresh_from_db()
    assert line.amount == Decimal("260000.00")
    assert 'id="history"' in client.get(edit_url(line)).content.decode()
    delete = reverse("measures:funding_line_delete", kwargs={"pk": line.pk})
    assert (
        client.post(delete, {"version": "1"}).status_code == 302
        and FundingLine.objects.filter(pk=line.pk).exists()
    )
    assert client.post(delete, {"version": "2"}).status_code == 302
    assert not FundingLine.objects.filter(pk=line.pk).exists()


@pytest.mark.parametrize(
    ("name", "status"),
    [("liaison_mps", 404), ("reporter_yn", 404), ("case_mca", 404), ("office", 403), ("auditor", 403)],
)
def test_who_may_not_touch_another_owners_line(client_as, world, name, status):
    line = world["mca_budget"]
    client = client_as(name)
    assert client.get(edit_url(line)).status_code == status
    assert client.post(edit_url(line), form(version="1")).status_code == status
    delete = reverse("measures:funding_line_delete", kwargs={"pk": line.pk})
    assert client.post(delete, {"version": "1"}).status_code == status
    line.refresh_from_db()
    assert line.version == 1


def test_a_prefectures_reporter_is_not_its_province(client, world):
    make_agency("ATO-530100")
    km = signed_in(client, make_user("km", Role.PROVINCE, agency="ATO-530100"))
    assert km.get(HOME).status_code == 404
    assert km.get(TOTALS).status_code == 404
    assert km.get(edit_url(world["yn_budget"])).status_code == 404


def test_the_office_reads_the_totals_and_adds_nothing(client_as, world):
    client = client_as("office")
    assert client.get(HOME).status_code == 302
    assert client.post(HOME, form()).status_code == 403
    page = client.get(TOTALS).content.decode()
    # Budgets 250,000 + 420,000; donations 50,000; aid 80,000.
    assert "¥670,000.00" in page and "¥50,000.00" in page and "¥80,000.00" in page and "¥800,000.00" in page
    assert 'id="year-2008"' in page and 'id="area-whole"' in page and 'id="area-3"' in page
    assert 'id="owner-MCA"' in page and 'id="owner-530000"' in page
    one_year = client.get(f"{TOTALS}?year=2008").content.decode()
    assert "¥420,000.00" in one_year and 'id="owner-MCA"' not in one_year
    assert client_as("case_mps").get(TOTALS).status_code == 404


def test_an_owner_reads_only_its_own_totals(client_as, world):
    page = client_as("reporter_yn").get(TOTALS).content.decode()
    assert "¥470,000.00" in page and 'id="owner-MCA"' not in page


def test_pages_cost_the_same_queries_at_two_sizes(client_as, persona, world):
    office, mca = client_as("office"), None
    small_totals = page_queries(office, TOTALS)
    mca = signed_in(office, persona("liaison_mca"))
    small_home = page_queries(mca, f"{HOME}?year=2009")
    lines_of(persona("liaison_mca"), 15)
    for reporter in reporters_elsewhere(6):
        lines_of(reporter, 3)
    assert page_queries(mca, f"{HOME}?year=2009") == small_home
    office = signed_in(mca, persona("office"))
    assert page_queries(office, TOTALS) == small_totals
    assert page_queries(office, f"{TOTALS}?year=2009&page=1") == small_totals
