"""The recovery endpoints in the OpenAPI schema: every answer an integrator can get, with its codes."""

import json

import pytest

pytestmark = pytest.mark.django_db


def test_the_recovery_endpoints_list_their_answers(client):
    paths = json.loads(client.get("/api/schema/?format=json").content)["paths"]

    request = paths["/api/v1/recovery/cases"]["post"]
    assert {"202", "400", "403", "429"} <= set(request["responses"])
    documents = paths["/api/v1/recovery/cases/{reference}/documents"]["post"]
    assert {"201", "400", "404", "409", "413", "429"} <= set(documents["responses"])
    assert "`file_too_large`" in documents["responses"]["413"]["description"]
    assert "`round_full`" in documents["responses"]["409"]["description"]
    assert "multipart/form-data" in documents["requestBody"]["content"]
    status = paths["/api/v1/recovery/cases/{reference}/status"]["post"]
    assert "`link_invalid`" in status["responses"]["404"]["description"]
