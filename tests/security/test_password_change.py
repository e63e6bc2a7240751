"""Changing the password: /account/password/ and POST /api/v1/account/password."""

from itertools import pairwise

import pytest
from django.contrib.auth.hashers import MD5PasswordHasher
from django.core import mail
from django.core.exceptions import ValidationError
from django.test import Client

from audit.events import RequestContext
from audit.models import EventKind, SecurityEvent
from security.models import PasswordHistory
from security.passwords.changes import WrongCurrentPassword, change_password

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_throttles")]

NEW_PASSWORD = "Tulip#harbour7"


def test_the_page_shows_the_rules_the_meter_and_the_advice(signed_in, user):
    page = signed_in(user).get("/account/password/").content.decode()
    assert "data-password-meter" in page
    assert "js/password-meter.js" in page
    assert "be 8 to 128 characters long" in page
    assert "not even with someone who says they are" in page
    assert "<script>" not in page


def test_changing_the_password_keeps_this_session_and_ends_every_other(signed_in, user, password):
    other_device = signed_in(user, client=Client())
    this_device = signed_in(user, client=Client())
    response = this_device.post(
        "/account/password/",
        {"current_password": password, "new_password": NEW_PASSWORD, "new_password_again": NEW_PASSWORD},
    )
    assert response.status_code == 302
    assert this_device.get("/shops/").status_code == 200
    assert other_device.get("/shops/").status_code == 302
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)


def test_a_change_is_recorded_and_the_user_is_told_by_email(
    signed_in, user, password, django_capture_on_commit_callbacks
):
    client = signed_in(user)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            "/account/password/",
            {"current_password": password, "new_password": NEW_PASSWORD, "new_password_again": NEW_PASSWORD},
        )
    assert SecurityEvent.objects.filter(user=user, kind=EventKind.PASSWORD_CHANGED).count() == 1
    notices = [message for message in mail.outbox if "password was changed" in message.subject]
    assert [message.to for message in notices] == [[user.email]]
    assert "never ask for your password" in notices[0].body


def test_a_wrong_current_password_is_refused_and_nothing_changes(signed_in, user, password):
    response = signed_in(user).post(
        "/account/password/",
        {"current_password": "not-it-9!", "new_password": NEW_PASSWORD, "new_password_again": NEW_PASSWORD},
    )
    assert response.status_code == 400
    assert "not your current password" in response.content.decode()
    user.refresh_from_db()
    assert user.check_password(password)
    assert not SecurityEvent.objects.filter(user=user, kind=EventKind.PASSWORD_CHANGED).exists()


def test_a_weak_new_password_is_refused_with_the_broken_rules(signed_in, user, password):
    response = signed_in(user).post(
        "/account/password/",
        {"current_password": password, "new_password": "abcd1234", "new_password_again": "abcd1234"},
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "Add at least one symbol" in page
    assert "abcd" in page and "in a row" in page


def test_the_two_new_passwords_must_match(signed_in, user, password):
    response = signed_in(user).post(
        "/account/password/",
        {"current_password": password, "new_password": NEW_PASSWORD, "new_password_again": "x"},
    )
    assert response.status_code == 400
    assert "differ" in response.content.decode()


def test_missing_fields_get_a_400_not_an_error(signed_in, user):
    assert signed_in(user).post("/account/password/", {}).status_code == 400


def test_the_page_needs_a_signed_in_user(client):
    assert client.get("/account/password/").status_code == 302


def test_the_api_changes_the_password_and_ends_other_sessions(signed_in, user, password, api):
    other_device = signed_in(user, client=Client())
    signed_in(user, client=api)
    response = api.post_json("account/password", {"current_password": password, "new_password": NEW_PASSWORD})
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "sessions_ended": 1}
    assert api.get("/api/v1/me").status_code == 200
    assert other_device.get("/api/v1/me").status_code in (401, 403)


def test_the_api_answers_broken_rules_and_a_wrong_current_password_as_field_errors(
    signed_in, user, password, api
):
    signed_in(user, client=api)
    weak = api.post_json("account/password", {"current_password": password, "new_password": "abcd"})
    assert weak.status_code == 400
    assert any("at least 8" in message for message in weak.json()["errors"]["new_password"])
    wrong = api.post_json("account/password", {"current_password": "nope", "new_password": NEW_PASSWORD})
    assert wrong.status_code == 400
    assert "current_password" in wrong.json()["errors"]
    missing = api.post_json("account/password", {})
    assert missing.status_code == 400
    assert set(missing.json()["errors"]) == {"current_password", "new_password"}


def test_the_api_needs_a_session(api):
    response = api.post_json("account/password", {"current_password": "x", "new_password": NEW_PASSWORD})
    assert response.status_code == 401


def test_none_of_the_last_five_passwords_may_come_back_but_the_sixth_may(user, password):
    context = RequestContext()
    history = [password, "Tulip#harbour1", "Tulip#harbour2", "Tulip#harbour3", "Tulip#harbour4"]
    for previous, new in pairwise(history):
        change_password(user, current_password=previous, new_password=new, context=context)
    assert PasswordHistory.objects.filter(user=user).count() == 5
    for old in history:
        with pytest.raises(ValidationError) as refusal:
            change_password(user, current_password=history[-1], new_password=old, context=context)
        assert [e.code for e in refusal.value.error_list] == ["reused"]
    change_password(user, current_password=history[-1], new_password="Tulip#harbour5", context=context)
    assert PasswordHistory.objects.filter(user=user).count() == 5
    change_password(user, current_password="Tulip#harbour5", new_password=password, context=context)
    user.refresh_from_db()
    assert user.check_password(password)


def test_a_wrong_current_password_raises_before_any_rule_runs(user):
    with pytest.raises(WrongCurrentPassword):
        change_password(user, current_password="", new_password=NEW_PASSWORD, context=RequestContext())


class CountingHasher(MD5PasswordHasher):
    verifications = 0

    def verify(self, password, encoded):
        CountingHasher.verifications += 1
        return super().verify(password, encoded)


def test_a_change_costs_at_most_one_plus_five_hash_verifications(settings, user, password):
    settings.PASSWORD_HASHERS = ["tests.security.test_password_change.CountingHasher"]
    context = RequestContext()
    user.set_password(password)
    user.save()
    current = password
    for n in range(6):
        new = f"Tulip#harbour{n}"
        change_password(user, current_password=current, new_password=new, context=context)
        current = new
    CountingHasher.verifications = 0
    change_password(user, current_password=current, new_password="Tulip#harbour9", context=context)
    assert CountingHasher.verifications <= 6


def test_argon2_hashes_the_new_password_and_its_history(argon2, user, password):
    user.set_password(password)
    user.save()
    change_password(user, current_password=password, new_password=NEW_PASSWORD, context=RequestContext())
    user.refresh_from_db()
    assert user.password.startswith("argon2$argon2id$")
    assert PasswordHistory.objects.filter(user=user).first().password == user.password


def test_guesses_at_the_current_password_are_throttled_per_account(signed_in, user, frozen_clock):
    client = signed_in(user)
    wrong = {"current_password": "guess-1!", "new_password": NEW_PASSWORD, "new_password_again": NEW_PASSWORD}
    for _ in range(10):
        assert client.post("/account/password/", wrong).status_code == 400
    refused = client.post("/account/password/", wrong)
    assert refused.status_code == 429
    assert int(refused["Retry-After"]) > 0
    assert "Too many attempts" in refused.content.decode()


def test_the_login_page_says_a_strong_password_is_unique_and_never_shared(client):
    page = client.get("/login/").content.decode()
    assert "A strong password is unique to this account" in page
    assert "not even with someone who says they are staff" in page
