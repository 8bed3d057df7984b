"""The agencies by division: the tree walked from the national level down, search, paging, and the
same number of queries with few agencies or many."""

import pytest
from django.urls import reverse

from agencies.models import Division
from tests.personas import make_agency
from tests.queries import page_queries

pytestmark = pytest.mark.django_db


def test_a_division_lists_its_agencies_and_those_below_it(plan, client_as):
    make_agency("MCA-530100")
    make_agency("MCA-450100")
    client = client_as("liaison_mca")
    yunnan = client.get(reverse("agencies:agency_list"), {"division": "530000"}).content.decode()
    assert "昆明市民政局" in yunnan and "云南省反拐办" in yunnan and "南宁市民政局" not in yunnan
    assert "昆明市" in yunnan and "530100" in yunnan  # the prefectures below, to walk down
    kunming = client.get(reverse("agencies:agency_list"), {"division": "530100"}).content.decode()
    assert "五华区" in kunming and 'aria-current="page">昆明市' in kunming
    found = client.get(reverse("agencies:agency_list"), {"q": "南宁"}).content.decode()
    assert "南宁市民政局" in found and "昆明市民政局" not in found


def test_anonymous_is_sent_to_sign_in(client):
    assert client.get(reverse("agencies:agency_list")).status_code == 302


def test_the_page_is_paged_and_costs_the_same_with_many_agencies(plan, client_as):
    client = client_as("office")
    url = reverse("agencies:agency_list") + "?division=530000"
    make_agency("MCA-530100")
    few = page_queries(client, url)
    counties = Division.objects.filter(code__startswith="53", level="county")[:120]
    for county in counties:
        make_agency(f"MPS-{county.code}", f"{county.name_zh}公安局")
    many = page_queries(client, url)
    assert few == many
    page = client.get(url).content.decode()
    assert page.count("<tr><td><code>") == 50 and "1 / 3" in page
