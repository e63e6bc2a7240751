"""The lockout stops guessing without locking the owner out (SPEC §7, issue 15)."""

from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.test import Client
from django.utils import timezone

from audit.models import EventKind, SecurityEvent
from security.models import LoginLockout
from tests.conftest import email_link_tokens, open_email_link

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_throttles")]

WRONG = "wrong-Password-9!"
NEW_PASSWORD = "Tulip#harbour7"


def attempt(client, email, password, ip="203.0.113.10"):
    return client.post("/login/", {"email": email, "password": password}, REMOTE_ADDR=ip)


def guess(email, times, ip="203.0.113.10"):
    """`times` wrong passwords from browsers the account does not know, each its own."""
    return [attempt(Client(), email, WRONG, ip).status_code for _ in range(times)]


@pytest.fixture
def known_browser(password):
    """known_browser(user) → a client that completed a full sign-in on the account, then signed out."""

    def make(user):
        browser = Client()
        assert attempt(browser, user.email, password, ip="198.51.100.7").status_code == 302
        browser.post("/logout/")
        return browser

    return make


def test_a_known_browser_signs_in_while_guessing_elsewhere_locks_the_account(owner, password, known_browser):
    mine = known_browser(owner)
    assert guess(owner.email, 5) == [400] * 5
    assert attempt(Client(), owner.email, password, ip="198.51.100.8").status_code == 429
    response = attempt(mine, owner.email, password, ip="198.51.100.7")
    assert response.status_code == 302 and response["Location"] == "/shops/"


def test_a_known_browser_is_not_stopped_by_the_ip_budget_either(owner, password, known_browser):
    mine = known_browser(owner)
    for n in range(20):
        attempt(Client(), f"guess{n}@example.com", WRONG, ip="198.51.100.7")
    assert attempt(Client(), owner.email, password, ip="198.51.100.7").status_code == 429
    assert attempt(mine, owner.email, password, ip="198.51.100.7").status_code == 302


def test_a_known_browser_keeps_a_small_budget_of_its_own(owner, password, known_browser):
    mine = known_browser(owner)
    assert [attempt(mine, owner.email, WRONG).status_code for _ in range(5)] == [400] * 5
    assert attempt(mine, owner.email, password).status_code == 429
    # Its failures are its own: the account's budget for other browsers is untouched.
    assert attempt(Client(), owner.email, password, ip="198.51.100.9").status_code == 302


def test_a_browser_known_to_another_account_only_is_a_stranger_here(owner, user, password, known_browser):
    theirs = known_browser(user)
    guess(owner.email, 5)
    assert attempt(theirs, owner.email, password).status_code == 429


def test_a_forged_device_cookie_is_a_stranger(owner, password, known_browser, settings):
    known_browser(owner)
    guess(owner.email, 5)
    forged = Client()
    forged.cookies[settings.KNOWN_DEVICE_COOKIE] = "made-up:value:signature"
    assert attempt(forged, owner.email, password).status_code == 429


def test_a_completed_reset_lifts_the_lock_as_the_message_promises(
    owner, password, django_capture_on_commit_callbacks
):
    guess(owner.email, 6)
    assert attempt(Client(), owner.email, password).status_code == 429
    mail.outbox.clear()
    browser = Client()
    with django_capture_on_commit_callbacks(execute=True):
        browser.post("/password-reset/", {"email": owner.email})
    [token] = [t for m in mail.outbox for t in email_link_tokens(m.body) if "Reset your" in m.subject]
    assert open_email_link(browser, token).status_code == 302
    form = {"new_password": NEW_PASSWORD, "new_password_again": NEW_PASSWORD}
    assert browser.post("/password-reset/new-password/", form).status_code == 302
    assert attempt(Client(), owner.email, NEW_PASSWORD, ip="198.51.100.30").status_code == 302
    assert not LoginLockout.objects.get(user=owner).active


def test_the_lock_is_logged_once_with_its_failures_and_refusals_are_only_counted(
    owner, password, signed_in, known_browser
):
    mine = known_browser(owner)
    before = SecurityEvent.objects.filter(user=owner).count()
    guess(owner.email, 5)
    assert guess(owner.email, 12) == [429] * 12
    assert attempt(Client(), owner.email, password).status_code == 429
    kinds = list(SecurityEvent.objects.filter(user=owner).values_list("kind", flat=True)[:100])
    assert len(kinds) - before == 6  # five failures and one lock, not thirteen refusals
    [lock] = SecurityEvent.objects.filter(user=owner, kind=EventKind.LOGIN_LOCKED)
    assert len(lock.details["failures"]) == 5
    assert {f["ip"] for f in lock.details["failures"]} == {"203.0.113.10"}
    assert LoginLockout.objects.get(user=owner).refused == 13
    page = signed_in(owner, client=mine).get("/account/security/")
    assert "13 sign-in attempts" in page.content.decode()


def test_the_account_holder_is_emailed_at_most_once_an_hour(owner, django_capture_on_commit_callbacks):
    def lock_and_count():
        with django_capture_on_commit_callbacks(execute=True):
            guess(owner.email, 6)
        return sum("guess your" in m.subject for m in mail.outbox)

    start = timezone.now()
    with time_machine.travel(start, tick=False):
        assert lock_and_count() == 1
    with time_machine.travel(start + timedelta(minutes=16), tick=False):
        assert lock_and_count() == 1
    with time_machine.travel(start + timedelta(minutes=61), tick=False):
        assert lock_and_count() == 2
    assert SecurityEvent.objects.filter(user=owner, kind=EventKind.LOGIN_LOCKED).count() == 3
    body = next(m.body for m in mail.outbox if "guess your" in m.subject)
    assert "5 wrong passwords" in body and "Browsers where you have signed in before" in body


def test_no_lock_event_or_email_names_an_unknown_address(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        assert guess("nobody@example.com", 6) == [400] * 5 + [429]
    assert not SecurityEvent.objects.filter(kind=EventKind.LOGIN_LOCKED).exists()
    assert not mail.outbox


# Look-alike spellings of one address share one count, and look accounts up alike, on SQLite and
# PostgreSQL (the suite runs on both).


def spellings(email: str) -> list[str]:
    local, _, domain = email.partition("@")
    return [
        email.upper(),
        local.replace("s", "\u017f", 1) + "@" + domain,  # LATIN SMALL LETTER LONG S
        local.replace("k", "\u212a", 1) + "@" + domain,  # K, KELVIN SIGN
        f"  {email}  ",
    ]


def test_look_alike_spellings_share_the_accounts_count(owner, password):
    owner.email = "sam.kim@example.com"
    owner.save()
    variants = spellings(owner.email)
    statuses = [attempt(Client(), variants[n % len(variants)], WRONG).status_code for n in range(5)]
    assert statuses == [400] * 5
    for spelling in [owner.email, *variants]:
        assert attempt(Client(), spelling, password, ip="198.51.100.50").status_code == 429, spelling


def test_a_look_alike_spelling_signs_in_to_the_one_account_it_folds_to(owner, password):
    owner.email = "sam.kim@example.com"
    owner.save()
    response = attempt(Client(), "\u017fam.\u212aim@example.com", password)  # LONG S and KELVIN SIGN
    assert response.status_code == 302
    assert SecurityEvent.objects.filter(user=owner, kind=EventKind.LOGIN_SUCCESS).exists()


def test_a_dotless_i_is_another_address_on_every_database(owner, password):
    # PostgreSQL's UPPER() folds the dotless i to "I", so __iexact found the account there and not on SQLite.
    owner.email = "sam.kim@example.com"
    owner.save()
    assert attempt(Client(), "sam.k\u0131m@example.com", password).status_code == 400
    guess("sam.k\u0131m@example.com", 5)
    assert attempt(Client(), owner.email, password, ip="198.51.100.60").status_code == 302
