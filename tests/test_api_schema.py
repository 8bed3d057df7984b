"""The OpenAPI 3 schema is generated without warnings and validates; the docs page is served."""

import pytest
from django.core.management import call_command
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.validation import validate_schema

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
