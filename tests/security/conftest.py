import pytest
from django.core.cache import cache


@pytest.fixture
def fresh_throttles(db):
    """Start with no request counted against any throttle."""
    cache.clear()


@pytest.fixture
def api(client):
    """The test client, speaking JSON to /api/v1/."""

    def post(path, data=None, **extra):
        return client.post(f"/api/v1/{path}", data or {}, content_type="application/json", **extra)

    client.post_json = post
    return client
