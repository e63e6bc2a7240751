"""The OpenAPI schema that integrators read describes the API without warnings."""

import json

import pytest
from django.core.management import call_command

pytestmark = pytest.mark.django_db


def test_the_schema_is_served_and_describes_the_login_and_me_endpoints(client):
    response = client.get("/api/schema/?format=json")

    assert response.status_code == 200
    schema = json.loads(response.content)
    assert schema["info"]["title"] == "Seller Center API"
    assert {"/api/v1/auth/login", "/api/v1/me"} <= set(schema["paths"])
    assert schema["components"]["securitySchemes"]["cookieAuth"]["in"] == "cookie"


def test_the_api_docs_page_opens(client):
    assert client.get("/api/docs/").status_code == 200


def test_the_schema_validates_without_a_single_warning(tmp_path):
    # --fail-on-warn turns every warning (an unresolvable serializer, a missing type hint) into an error.
    path = tmp_path / "schema.yml"
    call_command("spectacular", validate=True, fail_on_warn=True, file=str(path))

    assert path.read_text().startswith("openapi: 3.")
