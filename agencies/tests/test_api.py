"""API of units and provinces."""

import pytest

pytestmark = pytest.mark.django_db


def test_units_in_the_plans_order(api_as):
    response = api_as("liaison_mca").get("/api/units/")
    assert response.status_code == 200
    results = response.json()["results"]
    assert results[0] == {
        "code": "MPS", "name_zh": "公安部", "name_en": "Ministry of Public Security", "seq": 1,
        "is_member": True,
    }  # fmt: skip
    # The 28 members in the plan's order, each 2008 successor beside the unit it succeeded.
    assert [u["seq"] for u in results[:31]] == sorted([*range(1, 29), 11, 14, 21])
    assert results[-1]["code"] == "IMCS_OFFICE" and results[-1]["is_member"] is False


def test_unit_filters_and_detail(api_as):
    api = api_as("office")
    assert [u["code"] for u in api.get("/api/units/?is_member=false").json()["results"]] == ["IMCS_OFFICE"]
    assert api.get("/api/units/ACWF/").json()["name_zh"] == "全国妇联"
    assert api.get("/api/units/NOPE/").status_code == 404


def test_provinces(api_as):
    api = api_as("reporter_gx")
    response = api.get("/api/provinces/?kind=municipality")
    assert [p["code"] for p in response.json()["results"]] == ["110000", "120000", "310000", "500000"]
    assert api.get("/api/provinces/450000/").json()["name_en"].startswith("Guangxi")


@pytest.mark.parametrize("url", ["/api/units/", "/api/provinces/", "/api/units/MPS/"])
def test_anonymous_is_refused(api_as, url):
    assert api_as(None).get(url).status_code in (401, 403)


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_reference_data_is_read_only_in_the_api(api_as, method):
    response = getattr(api_as("admin"), method)("/api/units/MPS/", {"name_zh": "x"}, format="json")
    assert response.status_code == 405
