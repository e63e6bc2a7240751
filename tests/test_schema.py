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


def _schema(client):
    return json.loads(client.get("/api/schema/?format=json").content)


def _codes(operation, status):
    return operation["responses"][str(status)]["description"]


def test_every_operation_lists_its_error_answers_in_the_one_error_shape(client):
    schema = _schema(client)
    error = schema["components"]["schemas"]["Error"]
    assert {"detail", "code"} <= set(error["required"])
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            for status, answer in operation["responses"].items():
                if status.startswith("4"):
                    ref = answer["content"]["application/json"]["schema"]["$ref"]
                    invalid = status == "400" and "`invalid`" in answer["description"]
                    expected = "ValidationError" if invalid else "Error"
                    assert ref.endswith(f"/{expected}"), (method, path, status)
            if method.upper() in {"POST", "PUT", "PATCH", "DELETE"}:
                # Every unsafe method parses its body first: malformed or too deeply nested JSON is a 400.
                assert "`parse_error`" in _codes(operation, 400), (method, path)
            if {} not in operation.get("security", []):  # a session is required
                assert {"401", "403"} <= set(operation["responses"]), (method, path)
            if "{" in path:
                assert "404" in operation["responses"], (method, path)


def test_the_answers_name_their_codes(client):
    paths = _schema(client)["paths"]
    shop_log = paths["/api/v1/shops/{slug}/events"]["get"]
    assert "`missing_grant`" in _codes(shop_log, 403)
    assert "`two_step_required`" in _codes(shop_log, 401)
    change = paths["/api/v1/account/email"]["post"]
    assert "`step_up_required`" in _codes(change, 403)
    assert "`account_frozen`" in _codes(change, 409)
    assert "Retry-After" in change["responses"]["429"]["headers"]
    assert "`current_session`" in _codes(paths["/api/v1/account/sessions/{id}"]["delete"], 409)
    assert "`throttled`" in _codes(paths["/api/v1/auth/login"]["post"], 429)


def test_a_browser_reads_the_schema_as_a_page_and_tools_still_get_yaml(client):
    page = client.get("/api/schema/", HTTP_ACCEPT="text/html,application/xhtml+xml,*/*;q=0.8")
    body = page.content.decode()
    assert page.status_code == 200 and page["Content-Type"].startswith("text/html")
    assert 'class="topbar"' in body and "openapi: 3." in body
    assert 'href="?format=json"' in body and 'href="/api/docs/"' in body
    tool = client.get("/api/schema/", HTTP_ACCEPT="*/*")
    assert tool["Content-Type"].startswith("application/vnd.oai.openapi")
    assert tool.content.startswith(b"openapi: 3.")
