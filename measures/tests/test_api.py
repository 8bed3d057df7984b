"""API of plans, areas, measures and targets: fields, filters, authentication, query counts."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from knox.models import AuthToken
from rest_framework.test import APIClient

from tests.factories import load_double_plan

pytestmark = pytest.mark.django_db


def all_results(api, url):
    response = api.get(url)
    assert response.status_code == 200, response.content
    return response.json()["results"]


def test_plans(api_as):
    [plan] = all_results(api_as("auditor"), "/api/plans/")
    assert plan["code"] == "2008-2012" and plan["document_number"] == "国办发〔2007〕69号"
    assert plan["issued_on"] == "2007-12-13" and plan["in_force_from"] == "2008-01-01"


def test_measure_fields(api_as):
    [measure] = all_results(api_as("liaison_mca"), "/api/measures/?ref=2.2.b")
    assert measure["parent"] == "2.2" and measure["area"] == 2 and measure["plan"] == "2008-2012"
    assert measure["responsible"] == ["MOR", "MOC", "CAAC"]
    assert measure["cooperating"] == ["MPS", "MOJ", "CYL", "ACWF"]
    assert "航空港" in measure["text_zh"] and measure["text_en"]
    [top] = all_results(api_as("liaison_mca"), "/api/measures/?ref=3.1")
    assert top["parent"] is None and top["responsible"] == [] and top["cooperating"] == []


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("area=1", ["1.1", "1.2", "1.3", "1.4", "1.5"]),
        ("parent=4.2", ["4.2.a", "4.2.b", "4.2.c", "4.2.d"]),
        ("responsible=IMCS_OFFICE", ["1.5", "2.3"]),
        ("cooperating=MFA", ["5.1", "5.2", "5.5"]),
        ("responsible=MOF", ["4.1.a"]),
        ("unit=MOF", ["2.1.e", "4.1.a"]),
    ],
)
def test_measure_filters(api_as, query, expected):
    results = all_results(api_as("office"), f"/api/measures/?{query}&limit=200")
    assert [m["ref"] for m in results] == expected


def test_top_level_filter_and_pagination(api_as):
    response = api_as("office").get("/api/measures/?top_level=true&limit=5")
    body = response.json()
    assert body["count"] == 21 and len(body["results"]) == 5 and body["next"]


def test_targets_and_areas(api_as):
    api = api_as("reporter_yn")
    targets = all_results(api, "/api/targets/?indicator=solved_to_reported_ratio")
    assert targets[0]["baseline_year"] == 2007 and targets[0]["due_on"] == "2012-12-31"
    areas = all_results(api, "/api/areas/?plan__code=2008-2012")
    assert [a["seq"] for a in areas] == [1, 2, 3, 4, 5]


def test_token_authentication(persona):
    user = persona("liaison_mps")
    _, token = AuthToken.objects.create(user=user)
    api = APIClient()
    assert api.get("/api/measures/").status_code in (401, 403)
    api.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert api.get("/api/measures/").status_code == 200


def test_obtaining_a_token(client, persona):
    persona("liaison_mps")
    response = client.post("/api/auth/token/", {"username": "liaison_mps", "password": "persona-password-1"})
    assert response.status_code == 200 and len(response.json()["token"]) == 64


def test_deactivated_user_gets_nothing(persona):
    _, token = AuthToken.objects.create(user=persona("outsider"))
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    response = api.get("/api/measures/")
    assert response.status_code in (401, 403) and "未激活" in response.json()["detail"]  # Chinese by default


@pytest.mark.parametrize("url", ["/api/measures/?limit=500", "/api/units/", "/api/areas/", "/api/targets/"])
def test_api_list_query_counts_do_not_grow_with_data(api_as, url):
    api = api_as("office")
    with CaptureQueriesContext(connection) as small:
        size_small = len(api.get(url).json()["results"])
    load_double_plan()
    with CaptureQueriesContext(connection) as large:
        size_large = len(api.get(url).json()["results"])
    assert len(small) == len(large) <= 4
    if "measures" in url:
        assert size_large == 3 * size_small  # the plan and a plan twice its size
