from datetime import timedelta

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from audit.models import EventKind, SecurityEvent
from security.models import UserSession
from tests.conftest import totp_code
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

FIREFOX = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0"
CHROME = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/120.0.0.0 Safari/537.36"
)


def browser(user, password, *, agent, ip):
    """A separate browser, signed in through the login page."""
    client = Client(HTTP_USER_AGENT=agent, REMOTE_ADDR=ip)
    response = client.post("/login/", {"email": user.email, "password": password})
    assert response.status_code == 302
    return client


def test_each_sign_in_is_recorded_with_device_ip_and_times(owner, password):
    browser(owner, password, agent=FIREFOX, ip="198.51.100.7")
    row = UserSession.objects.get(user=owner)
    assert row.device == "Firefox on Linux"
    assert row.ip == "198.51.100.7"
    assert row.created and row.last_seen


def test_account_security_page_lists_sessions_and_marks_this_one(owner, password):
    home = browser(owner, password, agent=FIREFOX, ip="198.51.100.7")
    browser(owner, password, agent=CHROME, ip="203.0.113.5")
    page = home.get("/account/security/").content.decode()
    assert "Firefox on Linux" in page and "Chrome on Windows" in page
    assert "203.0.113.5" in page
    assert "This session" in page
    assert "End all other sessions (1)" in page


def test_ending_a_session_from_another_browser_signs_that_browser_out_on_its_next_request(owner, password):
    home = browser(owner, password, agent=FIREFOX, ip="198.51.100.7")
    other = browser(owner, password, agent=CHROME, ip="203.0.113.5")
    assert other.get("/shop/demo-shop/").status_code == 200
    target = UserSession.objects.get(user=owner, device__startswith="Chrome")
    response = home.post(f"/account/security/sessions/{target.pk}/end/")
    assert response.status_code == 302
    refused = other.get("/shop/demo-shop/")
    assert refused.status_code == 302 and refused["Location"].startswith("/login/")
    assert other.get("/api/v1/me").status_code == 401
    assert home.get("/shop/demo-shop/").status_code == 200
    event = SecurityEvent.objects.get(user=owner, kind=EventKind.SESSION_ENDED)
    assert event.details["device"].startswith("Chrome")


def test_end_all_other_sessions_keeps_only_this_one(owner, password):
    home = browser(owner, password, agent=FIREFOX, ip="198.51.100.7")
    others = [browser(owner, password, agent=CHROME, ip=f"203.0.113.{n}") for n in (1, 2)]
    home.post("/account/security/sessions/end-others/")
    assert all(client.get("/api/v1/me").status_code == 401 for client in others)
    assert home.get("/api/v1/me").status_code == 200
    assert UserSession.objects.filter(user=owner).count() == 1


def test_api_lists_sessions_with_the_current_one_marked(owner, password):
    home = browser(owner, password, agent=FIREFOX, ip="198.51.100.7")
    browser(owner, password, agent=CHROME, ip="203.0.113.5")
    body = home.get("/api/v1/account/sessions").json()
    assert body["count"] == 2 and body["next"] is None and body["previous"] is None
    assert set(body["results"][0]) == {"id", "current", "device", "ip", "created", "last_seen", "second_step"}
    assert [item["current"] for item in body["results"]].count(True) == 1


def test_api_ends_a_session_and_answers_404_for_another_users_session(owner, password):
    home = browser(owner, password, agent=FIREFOX, ip="198.51.100.7")
    other = browser(owner, password, agent=CHROME, ip="203.0.113.5")
    stranger = UserFactory()
    browser(stranger, password, agent=CHROME, ip="192.0.2.1")
    theirs = UserSession.objects.get(user=stranger)
    mine = UserSession.objects.get(user=owner, device__startswith="Chrome")
    token = home.get("/api/v1/auth/csrf").json()["csrf_token"]
    assert home.delete(f"/api/v1/account/sessions/{theirs.pk}", HTTP_X_CSRFTOKEN=token).status_code == 404
    assert UserSession.objects.filter(pk=theirs.pk).exists()
    assert home.delete(f"/api/v1/account/sessions/{mine.pk}", HTTP_X_CSRFTOKEN=token).status_code == 204
    assert other.get("/api/v1/me").status_code == 401


def test_api_refuses_to_end_the_current_session_with_a_clear_conflict(owner, password):
    home = browser(owner, password, agent=FIREFOX, ip="198.51.100.7")
    current = UserSession.objects.get(user=owner)
    token = home.get("/api/v1/auth/csrf").json()["csrf_token"]
    response = home.delete(f"/api/v1/account/sessions/{current.pk}", HTTP_X_CSRFTOKEN=token)
    assert response.status_code == 409
    assert response.json()["code"] == "current_session"


def test_sessions_past_their_idle_bound_are_not_listed(owner, password):
    browser(owner, password, agent=CHROME, ip="203.0.113.5")
    with time_machine.travel(timezone.now() + timedelta(minutes=45)):
        home = browser(owner, password, agent=FIREFOX, ip="198.51.100.7")
        devices = [item["device"] for item in home.get("/api/v1/account/sessions").json()["results"]]
    assert len(devices) == 1 and devices[0].startswith("Firefox")


def test_staff_ending_a_session_in_admin_signs_it_out(owner, password, staff_user):
    other = browser(owner, password, agent=CHROME, ip="203.0.113.5")
    admin = browser(staff_user, password, agent=FIREFOX, ip="192.0.2.9")
    assert admin.post("/login/verify/", {"code": totp_code(staff_user)}).status_code == 302
    row = UserSession.objects.get(user=owner)
    response = admin.post(
        "/admin/security/usersession/",
        {"action": "end_sessions", "_selected_action": [row.pk]},
    )
    assert response.status_code == 302
    assert other.get("/api/v1/me").status_code == 401
    assert not UserSession.objects.filter(pk=row.pk).exists()


def test_api_ends_all_other_sessions_at_once(owner, password):
    home = browser(owner, password, agent=FIREFOX, ip="198.51.100.7")
    others = [browser(owner, password, agent=CHROME, ip=f"203.0.113.{n}") for n in (1, 2)]
    token = home.get("/api/v1/auth/csrf").json()["csrf_token"]
    response = home.delete("/api/v1/account/sessions", HTTP_X_CSRFTOKEN=token)
    assert response.status_code == 200 and response.json() == {"ended": 2}
    assert all(client.get("/api/v1/me").status_code == 401 for client in others)
    assert home.get("/api/v1/me").status_code == 200
