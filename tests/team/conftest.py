import json
from datetime import timedelta

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from accounts import invitations
from accounts.models import Membership
from audit.events import RequestContext
from security.models import RateCounter
from tests.conftest import email_link_tokens


@pytest.fixture(autouse=True)
def _no_counted_requests(db):
    """Every test starts with no e-mail counted against the shops' rate limits."""
    RateCounter.objects.all().delete()


@pytest.fixture
def commits(django_capture_on_commit_callbacks):
    """`with commits():` runs what the transactions inside schedule on commit (e-mails), as a request
    does when it ends in production."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def owner_client(fully_signed_in, owner_with_totp):
    """The shop's owner, signed in with the authenticator app a moment ago: their step is fresh."""
    return fully_signed_in(owner_with_totp)


@pytest.fixture
def owner_membership(shop):
    return Membership.objects.select_related("shop", "user").get(shop=shop, user=shop.owner)


class Api:
    """JSON calls to /api/v1/ through a Django test client that enforces CSRF as a browser would."""

    def __init__(self, client: Client):
        self.client = client
        client.get("/api/v1/auth/csrf")

    def __call__(self, method: str, path: str, data=None, **extra):
        return getattr(self.client, method)(
            f"/api/v1/{path}",
            data=json.dumps(data) if data is not None else "",
            content_type="application/json",
            HTTP_X_CSRFTOKEN=self.client.cookies["csrftoken"].value,
            **extra,
        )


@pytest.fixture
def api():
    """api(client) → JSON calls with that client's session; its cookies stay the client's."""

    def make(client: Client | None = None) -> Api:
        client = client or Client(enforce_csrf_checks=True)
        client.handler.enforce_csrf_checks = True
        return Api(client)

    return make


@pytest.fixture
def invite(owner_membership, commits, mailoutbox):
    """invite("a@x.example", "finance_specialist") → (invitation, token of its e-mailed link)."""

    def make(email, *roles):
        with commits():
            invitation = invitations.invite(
                owner_membership,
                email=email,
                roles=list(roles or ["finance_specialist"]),
                context=RequestContext(),
            )
        message = [m for m in mailoutbox if m.to == [email]][-1]
        return invitation, email_link_tokens(message.body)[0]

    return make


@pytest.fixture
def later():
    """later(minutes) moves the clock on, keeping it ticking."""
    travellers = []

    def move(minutes: float):
        travellers.append(time_machine.travel(timezone.now() + timedelta(minutes=minutes), tick=True))
        travellers[-1].start()

    yield move
    for traveller in reversed(travellers):
        traveller.stop()
