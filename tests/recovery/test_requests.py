"""/recover/ and POST /api/v1/recovery/cases: the same answer for every address, a freeze at once for
an account that exists, one open case per account, a rate limit, and clear refusals of bad input."""

import re
from datetime import timedelta

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from accounts.models import FreezeScope
from audit.models import EventKind, SecurityEvent
from recovery.models import CaseRequest, CaseStatus, RecoveryCase
from security.models import RateCounter, UserSession
from tests.conftest import open_email_link
from tests.recovery.conftest import last_link_token, mails_to

pytestmark = pytest.mark.django_db

CONTACT = "me.now@contact.example"


@pytest.fixture(autouse=True)
def no_counted_requests(db):
    RateCounter.objects.all().delete()


def sent_page(client) -> str:
    page = client.get("/recover/sent/")
    assert page.status_code == 200
    return re.sub(r"RC-[0-9A-Z]{4}-[0-9A-Z]{4}", "RC-XXXX-XXXX", page.content.decode())


def test_the_answer_is_the_same_whether_or_not_an_account_uses_the_address(user, recover, client):
    known = recover(user.email, "known@contact.example")
    known_page = sent_page(client)
    unknown = recover("nobody@example.com", "unknown@contact.example")
    unknown_page = sent_page(client)

    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"] == "/recover/sent/"
    assert known_page == unknown_page
    # Both contact addresses get the same e-mail with an upload link: the mailbox reveals nothing either.
    [to_known] = mails_to("known@contact.example")
    [to_unknown] = mails_to("unknown@contact.example")
    assert to_known.subject.split(":")[1] == to_unknown.subject.split(":")[1]
    assert "/link/#" in to_known.body and "/link/#" in to_unknown.body
    assert RecoveryCase.objects.get(account_email="nobody@example.com").user is None


def test_a_request_freezes_the_account_at_once_and_ends_every_session(user, signed_in, recover):
    signed_in(user)
    assert UserSession.objects.filter(user=user).exists()

    recover(user.email, CONTACT)

    user.refresh_from_db()
    assert user.is_frozen and user.freeze_scope == FreezeScope.UNPROVEN
    assert not UserSession.objects.filter(user=user).exists()
    frozen = SecurityEvent.objects.get(user=user, kind=EventKind.ACCOUNT_FROZEN)
    assert frozen.details["origin"] == "recovery_request" and frozen.details["sessions_ended"] == 1
    # The account's own address hears of it, with the way to cancel it from a usual browser.
    [notice] = [m for m in mails_to(user.email) if "frozen" in m.subject]
    assert "cancel the request on the Account Security page" in notice.body


def test_a_second_request_with_the_same_contact_joins_the_case_and_replaces_its_link(user, recover):
    recover(user.email, CONTACT)
    first_token = last_link_token(CONTACT)

    recover(user.email, CONTACT.upper(), description="Still locked out.")

    case = RecoveryCase.objects.get(user=user)
    assert RecoveryCase.objects.filter(user=user).count() == 1
    assert case.requests.count() == 2
    assert last_link_token(CONTACT) != first_token
    refused = open_email_link(Client(), first_token)
    assert refused.status_code == 410 and "newer e-mail replaced this link" in refused.content.decode()


def test_a_request_from_another_contact_address_joins_without_taking_the_case_over(user, recover):
    recover(user.email, CONTACT)
    recover(user.email, "someone.else@example.net", description="This is my account, not theirs.")

    case = RecoveryCase.objects.get(user=user)
    assert case.contact_email == CONTACT
    assert list(case.requests.values_list("contact_email", flat=True)) == [
        CONTACT,
        "someone.else@example.net",
    ]
    [added] = mails_to("someone.else@example.net")
    assert "added" in added.subject and "/link/#" not in added.body


def test_a_closed_case_does_not_stop_a_new_one(user, recover):
    recover(user.email, CONTACT)
    case = RecoveryCase.objects.get(user=user)
    case.expire()
    case.save()

    recover(user.email, CONTACT)

    assert RecoveryCase.objects.filter(user=user).count() == 2
    assert RecoveryCase.objects.get(user=user, status=CaseStatus.AWAITING_DOCUMENTS).pk != case.pk


def test_requests_are_limited_per_ip_and_a_refused_one_changes_nothing(user, recover, settings):
    settings.RECOVERY_REQUEST_RATE = "2/hour"
    recover("first@example.com")
    recover("second@example.com")

    refused = recover(user.email)

    assert refused.status_code == 429 and int(refused["Retry-After"]) > 0
    assert "Too many requests" in refused.content.decode()
    user.refresh_from_db()
    assert not user.is_frozen and not RecoveryCase.objects.filter(user=user).exists()


@pytest.mark.parametrize(
    ("form", "field", "message"),
    [
        ({"account_email": "not-an-address"}, "account_email", "Enter a valid email address."),
        ({"contact_email": ""}, "contact_email", "This field is required."),
        ({"description": ""}, "description", "This field is required."),
        ({"description": "x" * 2001}, "description", "at most 2000 characters"),
    ],
)
def test_bad_input_is_refused_with_a_message_and_nothing_is_frozen(user, client, form, field, message):
    data = {"account_email": user.email, "contact_email": CONTACT, "description": "Phished.", **form}
    response = client.post("/recover/", data)
    assert response.status_code == 400
    assert message in response.content.decode()
    user.refresh_from_db()
    assert not user.is_frozen and not CaseRequest.objects.exists()


class TestApi:
    def post(self, client, **body):
        return client.post("/api/v1/recovery/cases", body, content_type="application/json")

    def test_a_request_is_accepted_with_a_reference(self, client, user, committed):
        response = committed(
            self.post, client, account_email=user.email, contact_email=CONTACT, description="Phished."
        )
        assert response.status_code == 202
        assert re.fullmatch(r"RC-[0-9A-Z]{4}-[0-9A-Z]{4}", response.json()["reference"])
        assert RecoveryCase.objects.get(reference=response.json()["reference"]).user == user
        user.refresh_from_db()
        assert user.is_frozen

    def test_an_unknown_address_gets_the_same_answer(self, client):
        response = self.post(
            client, account_email="nobody@example.com", contact_email=CONTACT, description="x"
        )
        assert response.status_code == 202 and set(response.json()) == {"reference"}

    def test_bad_input_is_400_with_field_errors(self, client):
        response = self.post(client, account_email="nope", contact_email="", description="x" * 2001)
        assert response.status_code == 400
        body = response.json()
        assert body["code"] == "invalid" and set(body["errors"]) == {
            "account_email",
            "contact_email",
            "description",
        }
        assert not RecoveryCase.objects.exists()

    def test_the_rate_limit_answers_429_with_retry_after(self, client, settings):
        settings.RECOVERY_REQUEST_RATE = "1/hour"
        self.post(client, account_email="a@example.com", contact_email=CONTACT, description="x")
        response = self.post(client, account_email="b@example.com", contact_email=CONTACT, description="x")
        assert (
            response.status_code == 429 and response.json()["code"] == "throttled" and response["Retry-After"]
        )

    def test_csrf_is_required(self, user):
        strict = Client(enforce_csrf_checks=True)
        response = self.post(strict, account_email=user.email, contact_email=CONTACT, description="x")
        assert response.status_code == 403
        user.refresh_from_db()
        assert not user.is_frozen


class TestSignInWhileFrozen:
    """An unproven request must not lock a seller out: a browser of theirs that signed in more than 7
    days before it still signs in; any other browser is told the account is frozen, and only after
    the right password."""

    def established_browser(self, user, fully_signed_in):
        browser = Client()
        with time_machine.travel(timezone.now() - timedelta(days=8)):
            fully_signed_in(user, client=browser)
        return browser

    def test_an_established_browser_still_signs_in(self, user_with_totp, fully_signed_in, recover):
        browser = self.established_browser(user_with_totp, fully_signed_in)
        recover(user_with_totp.email, CONTACT)

        fully_signed_in(user_with_totp, client=browser)

        page = browser.get("/account/security/")
        assert page.status_code == 200
        assert "Someone asked us to recover this account without proof" in page.content.decode()

    def test_a_new_browser_is_told_frozen_only_after_the_right_password(self, user, password, recover):
        recover(user.email, CONTACT)
        browser = Client()

        wrong = browser.post("/login/", {"email": user.email, "password": "Wrong-password-1!"})
        right = browser.post("/login/", {"email": user.email, "password": password})

        assert "frozen" not in wrong.content.decode()
        assert right.status_code == 403 and "frozen while its recovery is reviewed" in right.content.decode()
        api = Client().post(
            "/api/v1/auth/login", {"email": user.email, "password": password}, content_type="application/json"
        )
        assert api.status_code == 403 and api.json()["code"] == "account_frozen"

    def test_the_login_and_second_step_pages_lead_to_recovery(self, client, user_with_totp, half_signed_in):
        assert 'href="/recover/">Can\'t sign in? Account hacked?' in client.get("/login/").content.decode()
        half_signed_in(user_with_totp)
        assert 'href="/recover/"' in client.get("/login/verify/").content.decode()
