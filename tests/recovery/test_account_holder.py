"""The account holder's side: a request for someone else's account is cancelled from their established
browser (and the contact address can overrule that), every freeze opens a case, and hardened
recovery's switch."""

from datetime import timedelta

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from accounts.models import FreezeScope
from audit.events import RequestContext
from audit.models import EventKind, SecurityEvent
from recovery.models import CaseStatus, CaseStep, RecoveryCase
from tests.conftest import email_link_tokens, open_email_link
from tests.recovery.conftest import last_link_token, mails_to

pytestmark = pytest.mark.django_db

INTRUDER_CONTACT = "definitely.the.owner@contact.example"


@pytest.fixture
def established(user_with_totp, fully_signed_in):
    """The owner's everyday browser: it completed a full sign-in eight days ago."""
    browser = Client()
    with time_machine.travel(timezone.now() - timedelta(days=8)):
        fully_signed_in(user_with_totp, client=browser)
    return browser


@pytest.fixture
def request_for_someone_elses_account(user_with_totp, recover):
    recover(user_with_totp.email, INTRUDER_CONTACT, description="I lost access, please unlock it.")
    return RecoveryCase.objects.get(user=user_with_totp)


def test_the_owner_signs_in_from_an_established_browser_and_cancels_the_request(
    user_with_totp, established, request_for_someone_elses_account, fully_signed_in, committed
):
    case = request_for_someone_elses_account
    owner_browser = fully_signed_in(user_with_totp, client=established)
    assert "This wasn't me: cancel the request" in owner_browser.get("/account/security/").content.decode()

    with time_machine.travel(timezone.now() + timedelta(minutes=11)):
        # Cancelling needs a fresh second step.
        stale = owner_browser.post("/account/security/recovery/not-me/")
        assert stale.status_code == 302 and stale["Location"].startswith("/account/security/step-up/")
    response = committed(owner_browser.post, "/account/security/recovery/not-me/")

    assert response.status_code == 302 and response["Location"] == "/account/security/"
    user_with_totp.refresh_from_db()
    case.refresh_from_db()
    assert not user_with_totp.is_frozen and case.status == CaseStatus.CANCELLED
    assert SecurityEvent.objects.filter(user=user_with_totp, kind=EventKind.ACCOUNT_UNFROZEN).exists()
    assert case.steps.filter(kind=CaseStep.Kind.CANCELLED).exists()
    [told] = [m for m in mails_to(INTRUDER_CONTACT) if "cancelled" in m.subject]
    assert len(email_link_tokens(told.body)) == 1


def test_a_browser_first_seen_less_than_7_days_before_the_request_cannot_sign_in(
    user_with_totp, fully_signed_in, recover, password
):
    recent = Client()
    with time_machine.travel(timezone.now() - timedelta(days=6)):
        fully_signed_in(user_with_totp, client=recent)
    recover(user_with_totp.email, INTRUDER_CONTACT)

    refused = recent.post("/login/", {"email": user_with_totp.email, "password": password})

    assert refused.status_code == 403 and "frozen" in refused.content.decode()


def test_the_contact_address_overrules_a_cancellation_with_a_full_freeze(
    user_with_totp, established, request_for_someone_elses_account, fully_signed_in, committed, password
):
    case = request_for_someone_elses_account
    owner_browser = fully_signed_in(user_with_totp, client=established)
    committed(owner_browser.post, "/account/security/recovery/not-me/")
    mailbox = Client()

    opened = open_email_link(mailbox, last_link_token(INTRUDER_CONTACT))
    assert opened["Location"] == "/recover/freeze-again/"
    assert "Freeze the account again" in mailbox.get("/recover/freeze-again/").content.decode()
    done = committed(mailbox.post, "/recover/freeze-again/")

    assert done.status_code == 200 and "frozen again" in done.content.decode()
    user_with_totp.refresh_from_db()
    case.refresh_from_db()
    assert user_with_totp.freeze_scope == FreezeScope.FULL
    assert case.status == CaseStatus.AWAITING_DOCUMENTS
    assert case.steps.filter(kind=CaseStep.Kind.REOPENED).exists()
    # Now even the established browser waits for support.
    refused = established.post("/login/", {"email": user_with_totp.email, "password": password})
    assert refused.status_code == 403
    # The freeze-again link worked once.
    assert committed(mailbox.post, "/recover/freeze-again/").status_code == 400


def test_a_full_freeze_cannot_be_cancelled_as_not_me(user_with_totp, established, fully_signed_in, committed):
    browser = fully_signed_in(user_with_totp, client=established)
    committed(browser.post, "/account/security/freeze/")
    user_with_totp.refresh_from_db()
    assert user_with_totp.is_fully_frozen
    # Signed out by the freeze, and no browser gets back in to cancel it.
    assert browser.get("/account/security/").status_code == 302


class TestEveryFreezeOpensACase:
    def test_this_wasnt_me_opens_a_case_that_a_later_request_completes(
        self, user, committed, recover, settings
    ):
        from security.freeze import freeze_link_url

        url = freeze_link_url(user, subject="alert:1")
        browser = Client()
        open_email_link(browser, url.rpartition("#")[2])
        committed(browser.post, "/account/freeze/")

        case = RecoveryCase.objects.get(user=user)
        assert case.origin == "alert_link" and case.contact_email == ""
        assert not case.notices.exists()

        recover(user.email, "me@contact.example")

        case.refresh_from_db()
        assert RecoveryCase.objects.filter(user=user).count() == 1
        assert case.contact_email == "me@contact.example"
        assert "send your documents" in mails_to("me@contact.example")[-1].subject

    def test_the_owners_own_freeze_needs_a_fresh_step_and_opens_a_case(
        self, user_with_totp, fully_signed_in, committed
    ):
        browser = fully_signed_in(user_with_totp)
        with time_machine.travel(timezone.now() + timedelta(minutes=11)):
            stale = browser.get("/account/security/freeze/")
            assert stale["Location"].startswith("/account/security/step-up/")
        assert "Freeze my account now" in browser.get("/account/security/freeze/").content.decode()

        response = committed(browser.post, "/account/security/freeze/")

        assert response.status_code == 200 and "Start the recovery" in response.content.decode()
        user_with_totp.refresh_from_db()
        assert user_with_totp.is_fully_frozen
        case = RecoveryCase.objects.get(user=user_with_totp)
        assert case.origin == "owner"
        assert browser.get("/account/security/").status_code == 302

    def test_every_freeze_email_points_to_recovery(self, user, committed):
        from security.freeze import FreezeOrigin, freeze_account

        committed(
            freeze_account,
            user,
            scope=FreezeScope.FULL,
            origin=FreezeOrigin.STAFF,
            reason="test",
            context=RequestContext(),
        )
        [frozen] = [m for m in mails_to(user.email) if "frozen" in m.subject]
        assert "/recover/" in frozen.body

    def test_a_password_reset_for_a_frozen_account_points_to_recovery_and_the_page_says_the_same(
        self, user, client, recover, committed
    ):
        recover(user.email, "me@contact.example")
        frozen_answer = committed(client.post, "/password-reset/", {"email": user.email}, follow=True)
        unknown_answer = committed(
            client.post, "/password-reset/", {"email": "nobody@example.com"}, follow=True
        )

        assert frozen_answer.content == unknown_answer.content
        assert "Can't sign in? Account hacked?" in frozen_answer.content.decode()
        [message] = [m for m in mails_to(user.email) if "no password reset" in m.subject]
        assert "/recover/" in message.body and "/link/#" not in message.body


class TestHardenedRecovery:
    def test_turning_it_on_is_immediate(self, user_with_totp, fully_signed_in, committed):
        browser = fully_signed_in(user_with_totp)
        committed(browser.post, "/account/security/recovery/hardened/on/")
        user_with_totp.refresh_from_db()
        assert user_with_totp.has_hardened_recovery
        assert SecurityEvent.objects.filter(user=user_with_totp, kind=EventKind.HARDENED_RECOVERY_ON).exists()
        assert any("Hardened recovery is on" in m.subject for m in mails_to(user_with_totp.email))

    def test_turning_it_off_needs_a_fresh_step_and_waits_7_days(
        self, user_with_totp, fully_signed_in, committed
    ):
        browser = fully_signed_in(user_with_totp)
        committed(browser.post, "/account/security/recovery/hardened/on/")
        with time_machine.travel(timezone.now() + timedelta(minutes=11)):
            stale = browser.post("/account/security/recovery/hardened/off/")
            assert stale["Location"].startswith("/account/security/step-up/")

        committed(browser.post, "/account/security/recovery/hardened/off/")

        user_with_totp.refresh_from_db()
        assert user_with_totp.has_hardened_recovery
        assert "Keep hardened recovery on" in browser.get("/account/security/").content.decode()
        assert any("ends in 7 days" in m.subject for m in mails_to(user_with_totp.email))
        with time_machine.travel(timezone.now() + timedelta(days=6, hours=23)):
            assert user_with_totp.has_hardened_recovery
        with time_machine.travel(timezone.now() + timedelta(days=7, minutes=1)):
            assert not user_with_totp.has_hardened_recovery

    def test_the_owner_keeps_it_on_before_the_week_is_out(self, user_with_totp, fully_signed_in, committed):
        browser = fully_signed_in(user_with_totp)
        committed(browser.post, "/account/security/recovery/hardened/on/")
        committed(browser.post, "/account/security/recovery/hardened/off/")
        committed(browser.post, "/account/security/recovery/hardened/keep/")
        user_with_totp.refresh_from_db()
        assert user_with_totp.hardened_recovery_ends_at is None
        with time_machine.travel(timezone.now() + timedelta(days=30)):
            assert user_with_totp.has_hardened_recovery
        kinds = set(SecurityEvent.objects.filter(user=user_with_totp).values_list("kind", flat=True))
        assert {EventKind.HARDENED_RECOVERY_OFF_REQUESTED, EventKind.HARDENED_RECOVERY_OFF_CANCELLED} <= kinds


def test_without_two_step_the_panel_says_cancelling_needs_the_app_and_links_to_set_it_up(
    user, signed_in, recover
):
    browser = Client()
    with time_machine.travel(timezone.now() - timedelta(days=8)):
        signed_in(user, client=browser)
    recover(user.email, INTRUDER_CONTACT, description="I lost access, please unlock it.")
    signed_in(user, client=browser)

    page = browser.get("/account/security/").content.decode()

    assert "This wasn't me: cancel the request" in page
    assert "this account has no two-step verification yet" in page
    assert 'href="/account/security/2sv/totp/"' in page
    assert page.index("no two-step verification yet") < page.index("This wasn't me: cancel the request")
