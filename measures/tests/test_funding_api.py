"""Funding by channel in the API: /api/funding/ (paged, filtered by plan, year and channel; detail;
create, change and delete by the owners with the version read) and /api/funding/totals/; 404 for
another owner's line, 403 for a reader who may not change, 400 naming the field (amounts as numbers
or as people write them), nothing half-saved, and the list's queries at two sizes."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from measures.choices import FundingChannel
from measures.models import FundingLine
from tests.funding import add_line, lines_of
from tests.personas import reporters_elsewhere

pytestmark = pytest.mark.django_db

URL = "/api/funding/"
TOTALS = "/api/funding/totals/"


def body(**fields) -> dict:
    values = {
        "plan": "2008-2012",
        "year": 2009,
        "channel": "budget",
        "budgeted": "2,000",
        "amount": "1,200.50",
    }
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


def ids(response) -> set[int]:
    assert response.status_code == 200, response.content
    return {line["id"] for line in response.json()["results"]}


def test_who_reads_which_lines(api_as, world):
    mca = {world["mca_budget"].pk, world["mca_aid"].pk}
    yn = {world["yn_budget"].pk, world["yn_gift"].pk}
    assert ids(api_as("liaison_mca").get(URL)) == mca
    assert ids(api_as("reporter_yn").get(URL)) == yn
    assert ids(api_as("office").get(URL)) == ids(api_as("auditor").get(URL)) == mca | yn
    assert ids(api_as("case_mps").get(URL)) == set()
    assert ids(api_as("office").get(f"{URL}?year=2008")) == {world["yn_budget"].pk}
    assert ids(api_as("office").get(f"{URL}?channel=donation&plan=2008-2012")) == {world["yn_gift"].pk}
    detail = api_as("office").get(f"{URL}{world['mca_budget'].pk}/").json()
    assert detail["unit"] == "MCA" and detail["province"] is None and detail["area"] == 3
    assert (detail["budgeted"], detail["amount"]) == ("300000.00", "250000.00")
    assert api_as("reporter_yn").get(f"{URL}{world['mca_budget'].pk}/").status_code == 404
    assert api_as("office").get(f"{URL}?year=abc").status_code == 400
    assert "channel" in api_as("office").get(f"{URL}?channel=lottery").json()


def test_an_owner_creates_changes_and_deletes(api_as, persona):
    api = api_as("reporter_yn")
    created = api.post(URL, body(area=2), format="json")
    assert created.status_code == 201, created.content
    line = created.json()
    assert (line["province"], line["budgeted"], line["amount"], line["version"]) == (
        "530000",
        "2000.00",
        "1200.50",
        1,
    )
    changed = api.patch(f"{URL}{line['id']}/", {"amount": 1500.5, "area": None, "version": 1}, format="json")
    assert changed.status_code == 200, changed.content
    assert (changed.json()["amount"], changed.json()["area"], changed.json()["version"]) == (
        "1500.50",
        None,
        2,
    )
    assert api.patch(f"{URL}{line['id']}/", {"amount": "1", "version": 1}, format="json").status_code == 409
    assert api.delete(f"{URL}{line['id']}/").status_code == 400  # no version
    assert api.delete(f"{URL}{line['id']}/?version=1").status_code == 409
    assert api.delete(f"{URL}{line['id']}/?version=2").status_code == 204
    assert not FundingLine.objects.exists()


@pytest.mark.parametrize(
    ("fields", "named"),
    [
        ({"amount": "-5"}, "amount"),
        ({"amount": "abc"}, "amount"),
        ({"amount": "1e9"}, "amount"),
        ({"amount": -5}, "amount"),
        ({"amount": "1.005"}, "amount"),
        ({"amount": "9" * 20}, "amount"),
        ({"amount": True}, "amount"),
        ({"budgeted": "-1"}, "budgeted"),
        ({"year": 2020}, "year"),
        ({"area": 9}, "area"),
        ({"plan": "1999-2000"}, "plan"),
        ({"channel": "donation", "budgeted": None}, "donor_kind"),
        ({"channel": "international_aid", "budgeted": None}, "donor"),
        ({"donor": "x" * 201}, "donor"),
    ],
)
def test_bad_input_names_the_field_and_saves_nothing(api_as, persona, fields, named):
    response = api_as("liaison_mca").post(URL, body(**fields), format="json")
    assert response.status_code == 400 and named in response.json(), response.content
    assert not FundingLine.objects.exists()


def test_amounts_as_numbers_or_as_people_write_them(api_as, persona):
    api = api_as("liaison_mca")
    for sent, kept in [
        (1200.5, "1200.50"),
        (1200, "1200.00"),
        ("¥1,200.50", "1200.50"),
        ("1200元", "1200.00"),
    ]:
        response = api.post(URL, body(amount=sent, budgeted=None), format="json")
        assert response.status_code == 201 and response.json()["amount"] == kept, response.content


@pytest.mark.parametrize(
    ("name", "status"), [("liaison_mps", 404), ("case_mca", 404), ("office", 403), ("auditor", 403)]
)
def test_who_may_not_change_a_line(api_as, world, name, status):
    line = world["mca_budget"]
    api = api_as(name)
    assert api.patch(f"{URL}{line.pk}/", {"amount": "1", "version": 1}, format="json").status_code == status
    assert api.delete(f"{URL}{line.pk}/?version=1").status_code == status
    line.refresh_from_db()
    assert (line.version, line.amount) == (1, Decimal("250000.00"))


@pytest.mark.parametrize("name", ["office", "auditor", "case_mps"])
def test_who_may_not_add_a_line(api_as, persona, name):
    response = api_as(name).post(URL, body(), format="json")
    assert response.status_code == (404 if name == "case_mps" else 403)
    assert not FundingLine.objects.exists()


def test_totals_by_channel_year_and_area(api_as, world):
    totals = api_as("office").get(f"{TOTALS}?plan=2008-2012").json()
    assert totals["lines"] == 4 and totals["total"]["total"] == "800000.00"
    assert [(c["channel"], c["amount"]) for c in totals["by_channel"]] == [
        ("budget", "670000.00"), ("donation", "50000.00"), ("international_aid", "80000.00")]  # fmt: skip
    assert totals["by_channel"][0]["budgeted"] == "800000.00" and totals["by_channel"][1]["budgeted"] is None
    assert [(y["year"], y["total"]) for y in totals["by_year"]] == [(2008, "420000.00"), (2009, "380000.00")]
    assert [(a["area"], a["total"]) for a in totals["by_area"]] == [
        (2, "420000.00"), (3, "250000.00"), (None, "130000.00")]  # fmt: skip
    one_year = api_as("office").get(f"{TOTALS}?year=2008").json()
    assert one_year["years"] == [2008] and one_year["total"]["total"] == "420000.00"
    mine = api_as("reporter_yn").get(TOTALS).json()
    assert mine["total"]["total"] == "470000.00"
    assert "year" in api_as("office").get(f"{TOTALS}?year=2020").json()
    assert "plan" in api_as("office").get(f"{TOTALS}?plan=nope").json()
    assert api_as("case_mps").get(TOTALS).status_code == 404


def test_the_list_and_totals_cost_the_same_queries_at_two_sizes(api_as, persona, world):
    api = api_as("office")

    def queries(url) -> int:
        with CaptureQueriesContext(connection) as captured:
            assert api.get(url).status_code == 200
        return len(captured.captured_queries)

    small_list, small_totals = queries(URL), queries(TOTALS)
    lines_of(persona("liaison_mca"), 12)
    for reporter in reporters_elsewhere(5):
        lines_of(reporter, 3)
    assert queries(URL) == small_list
    assert queries(TOTALS) == small_totals
