import pytest
from django.core.cache import cache
from django.core.management import call_command


@pytest.fixture(scope="session", autouse=True)
def _cache_table(django_db_setup, django_db_blocker):
    """Throttles count in the database cache, whose table is not a model: create it once."""
    with django_db_blocker.unblock():
        call_command("createcachetable", verbosity=0)


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
