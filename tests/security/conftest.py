import pytest
import time_machine
from django.utils import timezone

from security.models import RateCounter


@pytest.fixture
def fresh_throttles(db):
    """Start with no request counted against any throttle."""
    RateCounter.objects.all().delete()


@pytest.fixture
def api(client):
    """The test client, speaking JSON to /api/v1/."""

    def post(path, data=None, **extra):
        return client.post(f"/api/v1/{path}", data or {}, content_type="application/json", **extra)

    client.post_json = post
    return client


@pytest.fixture
def frozen_clock():
    """Time stands still, so a throttle's window cannot roll over in the middle of a test."""
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        yield traveller
