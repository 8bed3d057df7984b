"""The OpenAPI 3 schema is generated without warnings and validates; the docs page is served."""

import json

import pytest
from django.core.management import call_command
from django.urls import reverse
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.renderers import OpenApiJsonRenderer
from drf_spectacular.validation import validate_schema
from rest_framework.request import Request
from rest_framework.test import APIRequestFactory

from cases import services as case_services
from core.api.pagination import PortalPagination
from reports.choices import JobKind, JobStatus
from reports.models import Job
from tests.cases import open_case
from tests.progress import log_entry

pytestmark = pytest.mark.django_db


def test_schema_validates_and_describes_every_endpoint():
    schema = SchemaGenerator().get_schema(request=None, public=True)
    validate_schema(schema)
    for path in ["/api/plans/", "/api/units/", "/api/provinces/", "/api/measures/", "/api/measures/{id}/"]:
        assert path in schema["paths"], path
    measure = schema["components"]["schemas"]["Measure"]["properties"]
    assert measure["responsible"]["type"] == "array"


def test_schema_generation_has_no_warnings(capsys, tmp_path):
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "schema.yaml"))
    assert (tmp_path / "schema.yaml").read_text().startswith("openapi: 3")


def test_schema_and_docs_are_served(client_as):
    client = client_as("auditor")
    response = client.get("/api/schema/")
    assert response.status_code == 200 and b"openapi: 3" in response.content
    docs = client.get("/api/docs/")
    assert docs.status_code == 200 and b"swagger-ui" in docs.content
    root = client.get("/api/")  # the README's address of the API
    assert root.status_code == 302 and root["Location"] == "/api/docs/"


def test_schema_and_docs_need_sign_in(client):
    """Issue 10, point 8: the schema and the docs were open to anyone."""
    assert client.get("/api/schema/").status_code in (401, 403)
    docs = client.get("/api/docs/")
    assert docs.status_code == 302 and docs["Location"].startswith(reverse("login"))


def test_docs_send_a_user_who_owes_the_second_factor_to_it(client, persona):
    """Issue 10, point 15: /api/docs/ answered raw JSON 403 before the two-factor code; it is a page
    and sends the user to the two-factor page, as every page does. The API itself still answers
    403 in JSON."""
    client.force_login(persona("auditor"))  # password only: the second factor is still owed
    docs = client.get("/api/docs/")
    assert docs.status_code == 302 and docs["Location"].startswith("/accounts/2fa/")
    assert "next=%2Fapi%2Fdocs%2F" in docs["Location"]
    api = client.get("/api/plans/")
    assert api.status_code == 403 and api["Content-Type"] == "application/json"


@pytest.mark.parametrize("path", ["/api/plans/", "/api/cases/", "/api/no-such-thing/", "/api/schema/"])
def test_api_answers_are_not_stored_by_browsers_or_proxies(client_as, path):
    """Issue 10, point 8: answers with case data lacked Cache-Control: no-store (every API answer
    holds one user's view, so all have it, errors included)."""
    response = client_as("case_mps").get(path)
    assert "no-store" in response["Cache-Control"], (path, response.status_code)


def test_api_answers_without_sign_in_are_not_stored_either(client):
    response = client.get("/api/cases/")
    assert response.status_code == 401 and "no-store" in response["Cache-Control"]


# What the fuzzer (tests/test_api_fuzz.py) and issue 10, point 7 found, as explicit requests.


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("get", "/api/jobs/null%2Cnull/files/pdf/"),
        ("post", "/api/jobs/null%2Cnull/retry/"),
        ("get", "/api/jobs/null,null/"),
        ("get", "/api/progress-entries/1e3/"),
        ("get", "/api/quarterly-reports/99999999999999999999/"),
        ("post", "/api/progress-entries/-1/submit/"),
    ],
)
def test_an_id_that_is_not_a_number_is_404(api_as, method, path):
    response = getattr(api_as("office"), method)(path)
    assert response.status_code == 404


@pytest.mark.portal_date("2009-10-05")
def test_a_huge_limit_gives_a_bounded_page(api_as, persona):
    log_entry(persona("liaison_mca"), "4.2.a", "2009Q3")
    api = api_as("liaison_mca")
    for limit in ("99999999999999999999", "-5", "abc", "9" * 5000):
        response = api.get(f"/api/progress-entries/?limit={limit}&offset=99999999999999999999")
        assert response.status_code == 200 and response.json()["results"] == [], limit
    page = api.get("/api/progress-entries/?limit=99999999999999999999").json()
    assert page["count"] == 1 and len(page["results"]) == 1
    asked = Request(APIRequestFactory().get("/", {"limit": "99999999999999999999", "offset": "9" * 30}))
    paginator = PortalPagination()
    assert paginator.get_limit(asked) == 500 and paginator.get_offset(asked) == PortalPagination.MAX_OFFSET


def test_a_national_report_job_answers_with_null_province_and_unit(api_as, persona):
    """The jobs schema said province and unit were never null; a national report has neither."""
    Job.objects.create(kind=JobKind.QUARTERLY_REPORT, status=JobStatus.FAILED, owner=persona("office"))
    job = api_as("office").get("/api/jobs/").json()["results"][0]
    assert job["province"] is None and job["unit"] is None and job["period"] is None
    schema = SchemaGenerator().get_schema(request=None, public=True)
    properties = json.loads(OpenApiJsonRenderer().render(schema, renderer_context={}))["components"][
        "schemas"
    ]["Job"]["properties"]
    assert all(properties[name].get("nullable") for name in ("province", "unit", "period"))


def test_a_referral_decision_whose_body_is_not_an_object_is_400(api_as, persona):
    mps, mca = persona("case_mps"), persona("case_mca")
    case = open_case(mps)
    referral = case_services.referral_create(actor=mps, case_id=case.pk, to_agency=mca.agency, purpose="安置")
    for action in ("accept", "decline"):
        response = api_as("case_mca").post(f"/api/referrals/{referral.pk}/{action}/", [1], format="json")
        assert response.status_code == 400, response.content
    accepted = api_as("case_mca").post(
        f"/api/referrals/{referral.pk}/accept/", {"note": "接收"}, format="json"
    )
    assert accepted.status_code == 200 and accepted.json()["note"] == "接收"
