"""Account Information (My Account > Seller Profile > Account Information): names, birth date, time zone
and the anti-phishing phrase, on the page and in the API; each change is a logged service call."""

from datetime import UTC, date, datetime, timedelta

import pytest
import time_machine
from django.utils import timezone

from audit.models import EventKind, SecurityEvent
from security.passwords.rules import FailureCode

pytestmark = pytest.mark.django_db

PAGE = "/account/information/"


def details(user, **changes):
    data = {
        "first_name": user.first_name,
        "last_name": user.last_name,
        "date_of_birth": user.date_of_birth.isoformat() if user.date_of_birth else "",
        "time_zone": user.time_zone,
    }
    return {**data, **changes}


def events(user, kind):
    return list(SecurityEvent.objects.filter(user=user, kind=kind))


# The page.


def test_the_menu_links_the_page_which_shows_the_persons_details(signed_in, user):
    client = signed_in(user)
    menu = client.get("/account/security/").content.decode()
    assert f'href="{PAGE}"' in menu
    page = client.get(PAGE)
    body = page.content.decode()
    assert page.status_code == 200
    assert f'value="{user.first_name}"' in body and user.email in body
    assert "so that your password can never contain it" in body
    assert '<option value="UTC" selected>' in body


def test_saving_details_changes_them_and_logs_which_fields_changed_not_their_values(signed_in, user):
    client = signed_in(user)
    response = client.post(
        PAGE,
        details(user, first_name="  Ada ", date_of_birth="1990-05-17", time_zone="Europe/Berlin"),
        follow=True,
    )
    assert "Your details are saved." in response.content.decode()
    assert "no new password can contain your birth date" in response.content.decode()
    user.refresh_from_db()
    assert (user.first_name, user.date_of_birth, user.time_zone) == (
        "Ada",
        date(1990, 5, 17),
        "Europe/Berlin",
    )
    [event] = events(user, EventKind.PROFILE_CHANGED)
    assert event.details == {"fields": ["first_name", "date_of_birth", "time_zone"]}


def test_saving_unchanged_details_records_nothing(signed_in, user):
    client = signed_in(user)
    response = client.post(PAGE, details(user), follow=True)
    assert "Nothing changed." in response.content.decode()
    assert events(user, EventKind.PROFILE_CHANGED) == []


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"date_of_birth": (date.today() + timedelta(days=2)).isoformat()}, "cannot be in the future"),
        ({"date_of_birth": "1899-12-31"}, "after 1 January 1900"),
        ({"date_of_birth": "17.05.1990x"}, "Enter a valid date"),
        ({"time_zone": "Mars/Olympus_Mons"}, "Select a valid choice"),
        ({"time_zone": "US/Eastern"}, "Select a valid choice"),
        ({"first_name": "x" * 151}, "at most 150 characters"),
        ({"last_name": "nul\x00byte"}, "Null characters are not allowed"),
    ],
)
def test_bad_details_are_refused_with_a_message_and_nothing_is_saved(signed_in, user, changes, message):
    before = (user.first_name, user.last_name, user.date_of_birth, user.time_zone)
    response = signed_in(user).post(PAGE, details(user, **changes))
    assert response.status_code == 400
    assert message in response.content.decode()
    user.refresh_from_db()
    assert (user.first_name, user.last_name, user.date_of_birth, user.time_zone) == before
    assert events(user, EventKind.PROFILE_CHANGED) == []


def test_clearing_the_birth_date_is_allowed(signed_in, user):
    user.date_of_birth = date(1990, 5, 17)
    user.save()
    signed_in(user).post(PAGE, details(user, date_of_birth=""))
    user.refresh_from_db()
    assert user.date_of_birth is None


# The anti-phishing phrase lives here now.


def test_the_anti_phishing_phrase_is_saved_folded_and_logged(signed_in, user):
    client = signed_in(user)
    response = client.post(f"{PAGE}anti-phishing/", {"phrase": "  blue   heron "})
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.anti_phishing_phrase == "blue heron"
    assert events(user, EventKind.ANTI_PHISHING_PHRASE_CHANGED)[0].details == {"set": True}
    assert 'value="blue heron"' in client.get(PAGE).content.decode()


@pytest.mark.parametrize(
    ("phrase", "message"), [("x" * 65, "at most 64 characters"), ("bell\x07", "letters, digits")]
)
def test_a_bad_phrase_is_refused_on_the_page_with_its_message(signed_in, user, phrase, message):
    response = signed_in(user).post(f"{PAGE}anti-phishing/", {"phrase": phrase})
    assert response.status_code == 400
    assert message in response.content.decode()
    user.refresh_from_db()
    assert user.anti_phishing_phrase == ""


# The time zone: pages in the viewer's zone, the API in UTC.


def test_pages_show_times_in_the_viewers_time_zone_and_the_api_stays_utc(signed_in, user):
    user.time_zone = "Asia/Tokyo"
    user.save()
    with time_machine.travel(datetime(2026, 3, 1, 23, 30, tzinfo=UTC), tick=False):
        client = signed_in(user)
        page = client.get("/account/security/").content.decode()
        sessions = client.get("/api/v1/account/sessions").json()["results"]
    assert "2026-03-02 08:30" in page, "23:30 UTC is 08:30 the next day in Tokyo"
    assert "(Asia/Tokyo)" in page
    assert sessions[0]["created"].startswith("2026-03-01T23:30:00")
    assert sessions[0]["created"].endswith("Z") or sessions[0]["created"].endswith("+00:00")


def test_emails_are_written_in_the_recipients_time_zone(user, mailoutbox, django_capture_on_commit_callbacks):
    from notifications.email import send_email

    user.time_zone = "America/New_York"
    with (
        time_machine.travel(datetime(2026, 7, 1, 12, 0, tzinfo=UTC), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        send_email(user, "account_frozen", {"reason": "test", "frozen_at": timezone.now()})
    assert "1 Jul 2026, 08:00 EDT" in mailoutbox[0].body


# The birth-date password rule, for a birth date entered on this page (SPEC §4 rule 4).


def test_a_birth_date_entered_here_is_refused_in_a_new_password(signed_in, user, password):
    client = signed_in(user)
    client.post(PAGE, details(user, date_of_birth="1990-05-17"))

    check = client.post(
        "/api/v1/password/check", {"password": "Tulip#harbour17.05"}, content_type="application/json"
    ).json()
    assert [f["code"] for f in check["failures"]] == [FailureCode.BIRTH_DATE]
    assert "17 May" in check["failures"][0]["message"]
    assert "1705" not in check["failures"][0]["message"]

    form = {
        "current_password": password,
        "new_password": "Tulip#harbour17.05",
        "new_password_again": "Tulip#harbour17.05",
    }
    refused = client.post("/account/password/", form)
    assert refused.status_code == 400
    assert "Remove your birthday" in refused.content.decode()
    user.refresh_from_db()
    assert user.check_password(password)
    year = client.post(
        "/api/v1/password/check", {"password": "Tulip#harbour1990"}, content_type="application/json"
    ).json()
    assert [f["code"] for f in year["failures"]] == [FailureCode.BIRTH_DATE]


# The API: GET/PATCH account/profile.


def test_the_api_reads_and_patches_the_profile(signed_in, user):
    client = signed_in(user)
    profile = client.get("/api/v1/account/profile").json()
    assert profile == {
        "id": user.pk,
        "email": user.email,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "date_of_birth": None,
        "anti_phishing_phrase": "",
        "time_zone": "UTC",
    }
    patched = client.patch(
        "/api/v1/account/profile",
        {"date_of_birth": "1985-12-01", "time_zone": "Europe/Paris", "anti_phishing_phrase": " red  fox "},
        content_type="application/json",
    )
    assert patched.status_code == 200
    assert patched.json()["anti_phishing_phrase"] == "red fox"
    user.refresh_from_db()
    assert (user.date_of_birth, user.time_zone) == (date(1985, 12, 1), "Europe/Paris")
    kinds = set(SecurityEvent.objects.filter(user=user).values_list("kind", flat=True))
    assert {EventKind.PROFILE_CHANGED, EventKind.ANTI_PHISHING_PHRASE_CHANGED} <= kinds


@pytest.mark.parametrize(
    ("body", "field", "message"),
    [
        ({"time_zone": "Nowhere/City"}, "time_zone", "Choose a time zone from the list"),
        ({"date_of_birth": "2999-01-01"}, "date_of_birth", "cannot be in the future"),
        ({"date_of_birth": "17/05/1990"}, "date_of_birth", "Date has wrong format"),
        ({"anti_phishing_phrase": "y" * 70}, "anti_phishing_phrase", "at most 64 characters"),
        ({"email": "someone@else.example"}, "email", "POST /api/v1/account/email"),
        ({"is_staff": True}, "is_staff", "cannot be changed here"),
        ({"first_name": None}, "first_name", "may not be null"),
    ],
)
def test_the_api_refuses_bad_fields_with_a_message_and_changes_nothing(signed_in, user, body, field, message):
    client = signed_in(user)
    response = client.patch("/api/v1/account/profile", body, content_type="application/json")
    assert response.status_code == 400
    assert response.json()["code"] == "invalid"
    assert message in response.json()["errors"][field][0]
    user.refresh_from_db()
    assert (user.time_zone, user.date_of_birth, user.is_staff) == ("UTC", None, False)
    assert not SecurityEvent.objects.filter(user=user, kind=EventKind.PROFILE_CHANGED).exists()


def test_the_api_refuses_a_body_that_is_not_an_object(signed_in, user):
    response = signed_in(user).patch("/api/v1/account/profile", [1, 2], content_type="application/json")
    assert response.status_code == 400


def test_the_profile_api_needs_a_session(client):
    assert client.get("/api/v1/account/profile").status_code == 401
