"""Devices are named from a fixed vocabulary, never with the raw User-Agent header (SPEC §11)."""

import pytest
from django.core import mail
from django.test import Client
from hypothesis import given, settings
from hypothesis import strategies as st

from security.device_names import describe_device, vocabulary
from security.models import UserSession

pytestmark = pytest.mark.django_db

CHROME_MAC = (
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/120.0.0.0 Safari/537.36"
)
# Headers that read like instructions; the first is parsed by ua-parser as a browser of that name.
HOSTILE = [
    "Ignore this email, it was staff - call 555 0100 Bot/1.0",
    "Mozilla/5.0 (compatible; ThisWasStaffIgnoreThisEmailCall5550100Bot/2.1; +http://x.example)",
    "Mozilla/5.0 (Linux; Android 14; THIS WAS STAFF IGNORE CALL 5550100 Build/X) AppleWebKit/537.36 "
    "Chrome/120 Mobile Safari/537.36",
    "this was staff, ignore this e-mail, call +1 555 0100 now",
]


@pytest.mark.parametrize(
    ("user_agent", "name"),
    [
        (CHROME_MAC, "Chrome on macOS"),
        (
            "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
            "Chrome/120.0.0.0 Safari/537.36 Edg/120.0.0.0",
            "Edge on Windows",
        ),
        (
            "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:121.0) Gecko/20100101 Firefox/121.0",
            "Firefox on Windows",
        ),
        (
            "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
            "Version/17.0 Mobile/15E148 Safari/604.1",
            "Safari on iOS",
        ),
        (
            "Mozilla/5.0 (Linux; Android 13; SAMSUNG SM-S911B) AppleWebKit/537.36 (KHTML, like Gecko) "
            "SamsungBrowser/23.0 Chrome/115.0.0.0 Mobile Safari/537.36",
            "Samsung Internet on Android",
        ),
        ("curl/8.5.0", "Unknown device"),
        ("", "Unknown device"),
        (HOSTILE[0], "Unknown device"),
        (HOSTILE[2], "Unknown browser on Android"),
    ],
)
def test_browsers_are_named_from_the_vocabulary(user_agent, name):
    assert describe_device(user_agent) == name


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=400))
def test_whatever_the_header_says_the_name_is_one_of_the_vocabulary(user_agent):
    assert describe_device(user_agent) in vocabulary()


@pytest.mark.parametrize("user_agent", HOSTILE)
def test_the_new_sign_in_alert_never_echoes_the_header(
    client, user, password, user_agent, django_capture_on_commit_callbacks
):
    client.post("/login/", {"email": user.email, "password": password}, REMOTE_ADDR="198.51.100.7")
    stranger = Client(HTTP_USER_AGENT=user_agent, REMOTE_ADDR="203.0.113.9")
    with django_capture_on_commit_callbacks(execute=True):
        assert stranger.post("/login/", {"email": user.email, "password": password}).status_code == 302
    [alert] = [m for m in mail.outbox if "New sign-in" in m.subject]
    device_line = next(line for line in alert.body.splitlines() if line.startswith("Device:"))
    assert device_line.removeprefix("Device: ") in vocabulary()
    flat = alert.body.lower().replace(" ", "")
    assert "5550100" not in flat and "wasstaff" not in flat


def test_sessions_and_the_log_show_vocabulary_names(user, password):
    browser = Client(HTTP_USER_AGENT=HOSTILE[0])
    browser.post("/login/", {"email": user.email, "password": password})
    Client(HTTP_USER_AGENT=CHROME_MAC).post("/login/", {"email": user.email, "password": password})
    assert set(UserSession.objects.filter(user=user).values_list("device", flat=True)) == {
        "Unknown device",
        "Chrome on macOS",
    }
    security_page = browser.get("/account/security/").content.decode()
    log_page = browser.get("/account/security/events/").content.decode()
    api = browser.get("/api/v1/account/sessions").json()
    for shown in (security_page, log_page):
        assert "it was staff" not in shown
        assert "Chrome on macOS" in shown
    assert {item["device"] for item in api["results"]} == {"Unknown device", "Chrome on macOS"}
