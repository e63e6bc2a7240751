"""The status page that sends a case's current link again, and the owner's way back after approval:
a single-use, 24-hour link, a new password, then the authenticator app."""

import re
from datetime import timedelta

import pyotp
import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from audit.events import RequestContext
from recovery.models import CaseStatus, RecoveryCase
from recovery.services import review
from recovery.services.documents import add_document
from tests.conftest import open_email_link
from tests.recovery import files
from tests.recovery.conftest import last_link_token, mails_to

pytestmark = pytest.mark.django_db

CONTACT = "me.now@contact.example"
NEW_PASSWORD = "Harbour-lantern-93!"


@pytest.fixture
def case(user, recover):
    recover(user.email, CONTACT)
    return RecoveryCase.objects.get(user=user)


@pytest.fixture
def approved(case, agent, committed):
    add_document(
        case, kind="identity", upload=SimpleUploadedFile("id.pdf", files.pdf()), context=RequestContext()
    )
    case.refresh_from_db()
    committed(
        review.approve,
        case.pk,
        agent=agent,
        revision=case.revision,
        reason="ID checked.",
        context=RequestContext(),
    )
    case.refresh_from_db()
    assert case.status == CaseStatus.APPROVED
    return case


def ask_status(client, committed, reference, contact):
    return committed(client.post, "/recover/status/", {"reference": reference, "contact_email": contact})


def add_identity_documents(case, count: int) -> None:
    for n in range(count):
        add_document(
            case,
            kind="identity",
            upload=SimpleUploadedFile(f"id{n}.pdf", files.pdf()),
            context=RequestContext(),
        )


class TestStatusPage:
    def test_the_right_reference_and_contact_get_a_fresh_link(self, client, case, committed):
        old = last_link_token(CONTACT)
        response = ask_status(client, committed, case.reference.lower().replace("-", ""), CONTACT.upper())
        assert (
            response.status_code == 200 and "If that reference and address match" in response.content.decode()
        )
        assert last_link_token(CONTACT) != old
        assert open_email_link(Client(), old).status_code == 410

    def test_the_mail_says_where_the_case_stands_and_what_arrived(self, client, case, committed):
        add_identity_documents(case, 2)
        ask_status(client, committed, case.reference, CONTACT)
        mail = mails_to(CONTACT)[-1]
        assert mail.subject.endswith("Waiting for review")
        assert "is: Waiting for review." in mail.body and "Files received so far: 2." in mail.body
        assert "takes up to 3 more files" in mail.body and "/link/#" in mail.body
        assert "We received a request" not in mail.body

    def test_a_full_round_gets_where_it_stands_and_no_link(self, client, case, committed):
        add_identity_documents(case, 5)
        ask_status(client, committed, case.reference, CONTACT)
        mail = mails_to(CONTACT)[-1]
        assert "Files received so far: 5." in mail.body and "/link/#" not in mail.body
        assert "already has all 5 files it takes" in mail.body

    @pytest.mark.parametrize("wrong", ["reference", "contact"])
    def test_anything_else_gets_the_same_answer_and_no_mail(self, client, case, committed, wrong):
        sent = len(mails_to(CONTACT))
        reference = "RC-0000-0000" if wrong == "reference" else case.reference
        contact = "someone@else.example" if wrong == "contact" else CONTACT
        response = ask_status(client, committed, reference, contact)
        assert (
            response.status_code == 200 and "If that reference and address match" in response.content.decode()
        )
        assert len(mails_to(CONTACT)) == sent

    def test_a_malformed_reference_is_400_with_a_message(self, client):
        response = client.post("/recover/status/", {"reference": "hello", "contact_email": CONTACT})
        assert response.status_code == 400 and "looks like RC-7K4M-Q2XD" in response.content.decode()

    def test_the_status_page_is_rate_limited(self, client, case, committed, settings):
        settings.RECOVERY_REQUEST_RATE = "1/hour"
        ask_status(client, committed, case.reference, CONTACT)
        assert ask_status(client, committed, case.reference, CONTACT).status_code == 429

    def test_a_closed_case_gets_where_it_stands(self, client, case, committed):
        case.reject(reason="x")
        case.save()
        ask_status(client, committed, case.reference, CONTACT)
        message = mails_to(CONTACT)[-1]
        assert "Closed: rejected" in message.subject and "/link/#" not in message.body


class TestRestore:
    def open_restore_link(self, token=None):
        browser = Client()
        response = open_email_link(browser, token or last_link_token(CONTACT))
        assert response["Location"] == "/recover/restore/"
        return browser

    def set_password(self, browser, committed, password=NEW_PASSWORD):
        return committed(
            browser.post, "/recover/restore/", {"new_password": password, "new_password_again": password}
        )

    def test_the_link_works_once(self, approved, committed):
        token = last_link_token(CONTACT)
        browser = self.open_restore_link(token)
        assert self.set_password(browser, committed).status_code == 302

        again = Client()
        response = open_email_link(again, token)
        assert response.status_code == 410 and "already used" in response.content.decode()

    def test_the_link_expires_after_24_hours(self, approved):
        browser = self.open_restore_link()
        with time_machine.travel(timezone.now() + timedelta(hours=24, minutes=1)):
            response = browser.get("/recover/restore/")
        assert response.status_code == 400 and "Get a new link" in response.content.decode()

    def test_a_weak_password_is_refused_and_the_link_stays_usable(self, approved, committed, user):
        browser = self.open_restore_link()
        weak = self.set_password(browser, committed, password="password")
        assert weak.status_code == 400
        user.refresh_from_db()
        assert not user.has_usable_password()
        assert self.set_password(browser, committed).status_code == 302

    def test_a_wrong_code_keeps_the_account_frozen(self, approved, committed, user):
        browser = self.open_restore_link()
        self.set_password(browser, committed)
        response = committed(browser.post, "/recover/restore/", {"code": "000000"})
        assert response.status_code == 400
        user.refresh_from_db()
        approved.refresh_from_db()
        assert user.is_frozen and approved.status == CaseStatus.APPROVED

    def test_a_person_who_left_half_way_asks_for_a_new_link_on_the_status_page(
        self, approved, committed, user
    ):
        browser = self.open_restore_link()
        self.set_password(browser, committed)
        # The browser is gone; the status page sends a fresh set-password link.
        ask_status(Client(), committed, approved.reference, CONTACT)
        fresh = self.open_restore_link()
        assert self.set_password(fresh, committed, password="Another-harbour-94!").status_code == 302
        page = fresh.get("/recover/restore/").content.decode()
        secret = re.search(r'data-secret="([A-Z2-7]+)"', page).group(1)
        done = committed(fresh.post, "/recover/restore/", {"code": pyotp.TOTP(secret).now()})
        assert done.status_code == 200
        user.refresh_from_db()
        assert not user.is_frozen and user.check_password("Another-harbour-94!")
        assert "Your Seller Center account is back" in [m.subject for m in mails_to(CONTACT)]

    def test_the_page_without_a_link_says_how_to_get_one(self):
        response = Client().get("/recover/restore/")
        assert response.status_code == 400 and "Get a new link" in response.content.decode()


def test_after_a_recovery_an_emailed_code_cannot_complete_a_sign_in_for_7_days(approved, user):
    from security.two_step.email_codes import refused_since

    since = refused_since(user)
    assert since is not None and since >= approved.approved_at
    with time_machine.travel(timezone.now() + timedelta(days=7, minutes=1)):
        assert refused_since(user) is None
