"""The one place that answers "what changed lately" and "where has this account signed in from"."""

from datetime import timedelta

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from audit.events import EventKind, RequestContext, record_event
from security import account_history
from security.models import KnownOrigin
from tests.conftest import totp_code

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("ip", "network"),
    [
        ("203.0.113.77", "203.0.113.0/24"),
        ("::ffff:203.0.113.77", "203.0.113.0/24"),
        ("2001:db8:1234:5678::1", "2001:db8:1234::/48"),
        ("not an address", None),
        (None, None),
    ],
)
def test_a_network_is_the_ipv4_slash_24_or_the_ipv6_slash_48(ip, network):
    assert account_history.network_of(ip) == network


def test_last_changes_reads_each_kind_of_change_from_the_log(user):
    assert account_history.last_changes(user).password_changed is None
    record_event(user, EventKind.PASSWORD_CHANGED)
    record_event(user, EventKind.TWO_STEP_ENABLED)
    changes = account_history.last_changes(user)
    assert changes.password_changed is not None and changes.two_step_changed is not None
    assert changes.password_reset is None and changes.email_changed is None
    assert changes.any_since(timezone.now() - timedelta(days=7))
    assert not changes.any_since(timezone.now() + timedelta(seconds=1))


def devices_of(user):
    return KnownOrigin.objects.filter(user=user, kind=KnownOrigin.Kind.DEVICE)


def sign_in(client, user, password, ip="198.51.100.7"):
    client.defaults["REMOTE_ADDR"] = ip
    response = client.post("/login/", {"email": user.email, "password": password})
    assert response.status_code == 302
    return response


def test_a_full_sign_in_sets_the_signed_device_cookie_and_remembers_device_and_network(
    client, user, password, settings
):
    sign_in(client, user, password)
    cookie = client.cookies[settings.KNOWN_DEVICE_COOKIE]
    assert cookie["httponly"] and cookie["samesite"] == "Lax"
    device_id = client.get("/shops/").wsgi_request.known_device_id
    seen = account_history.origins(user, RequestContext(ip="198.51.100.200", device_id=device_id))
    assert seen.device_seen and seen.network_first_seen is not None and seen.signed_in_before


def test_the_password_alone_is_no_completed_sign_in(half_signed_in, user_with_totp, settings):
    client = half_signed_in(user_with_totp)
    assert settings.KNOWN_DEVICE_COOKIE not in client.cookies
    assert not KnownOrigin.objects.exists()
    client.post("/login/verify/", {"code": totp_code(user_with_totp)})
    assert settings.KNOWN_DEVICE_COOKIE in client.cookies
    assert devices_of(user_with_totp).count() == 1


def test_signing_in_again_keeps_first_seen_and_moves_last_seen(client, user, password):
    sign_in(client, user, password)
    first = devices_of(user).get()
    with time_machine.travel(timezone.now() + timedelta(days=3)):
        sign_in(client, user, password)
    again = devices_of(user).get()
    assert again.first_seen == first.first_seen
    assert again.last_seen > first.last_seen


def test_a_tampered_device_cookie_counts_as_a_new_device(client, user, password, settings):
    sign_in(client, user, password)
    client.cookies[settings.KNOWN_DEVICE_COOKIE] = client.cookies[settings.KNOWN_DEVICE_COOKIE].value + "x"
    sign_in(Client(), user, password)  # nothing changes for other browsers
    sign_in(client, user, password)
    assert devices_of(user).count() == 3


def test_one_browser_is_one_device_for_each_account_signed_in_on_it(client, user, owner, password):
    sign_in(client, user, password)
    client.post("/logout/")
    sign_in(client, owner, password)
    assert devices_of(user).count() == 1
    assert devices_of(owner).count() == 1
    [theirs] = devices_of(owner)
    [mine] = devices_of(user)
    assert theirs.key == mine.key


def test_signing_in_again_from_a_signed_in_browser_starts_a_new_session(client, user, password):
    sign_in(client, user, password)
    first_key = client.session.session_key
    sign_in(client, user, password)
    assert client.session.session_key != first_key
    assert client.get("/shops/").status_code == 200
