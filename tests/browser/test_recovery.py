"""Recovery in Chromium: a locked-out owner asks from the login page and sends a document, a support
agent reviews and approves it in the admin, and the owner sets a new password and an authenticator."""

import re
import time

import pyotp
import pytest
from django.core import mail
from playwright.sync_api import expect

from recovery.models import CaseStatus, RecoveryCase
from tests.conftest import add_totp, email_link_tokens, totp_code
from tests.factories import ShopFactory
from tests.recovery import files
from tests.recovery.conftest import make_agent

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CONTACT = "olivia.now@contact.example"


@pytest.fixture(autouse=True)
def private_media(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    settings.RECOVERY_REQUEST_RATE = "10000/hour"


def newest_link(address: str, subject: str) -> str:
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        for message in reversed(mail.outbox):
            if address in message.to and subject in message.subject:
                return email_link_tokens(message.body)[-1]
        time.sleep(0.1)
    raise AssertionError(f"No “{subject}” e-mail to {address}: {[m.subject for m in mail.outbox]}")


def test_an_owner_recovers_the_account_with_support_reviewing_in_the_admin(
    browser, live_server, password, tmp_path
):
    owner = add_totp(ShopFactory(name="Tea House", slug="tea-house").owner)
    agent = make_agent("ada@support.example")

    # The owner, locked out, starts from the login page.
    person = browser.new_page()
    person.goto(f"{live_server.url}/login/")
    person.get_by_role("link", name="Can't sign in? Account hacked?").click()
    person.get_by_label("The e-mail address of the account").fill(owner.email)
    person.get_by_label("An e-mail address you control now").fill(CONTACT)
    person.get_by_label("What happened?").fill("A 'courier' asked for my code; now I cannot sign in.")
    person.get_by_role("button", name="Freeze and start recovery").click()
    expect(person.locator("#case-reference")).to_have_text(re.compile(r"RC-[0-9A-Z]{4}-[0-9A-Z]{4}"))

    person.goto(f"{live_server.url}/link/#{newest_link(CONTACT, 'send your documents')}")
    expect(person).to_have_url(re.compile(r"/recover/case/$"))
    passport = tmp_path / "passport.pdf"
    passport.write_bytes(files.pdf())
    person.get_by_label("What is it?").select_option("identity")
    person.get_by_label("File (PDF, JPEG or PNG, at most 10 MB)").set_input_files(passport)
    person.get_by_role("button", name="Send").click()
    expect(person.get_by_text("We received “passport.pdf”")).to_be_visible()
    expect(person.locator("#case-status")).to_have_text("Waiting for review")

    # The agent signs in with the authenticator and works the case in the admin.
    staff = browser.new_context().new_page()
    staff.goto(f"{live_server.url}/login/?next=/admin/recovery/recoverycase/")
    staff.get_by_label("E-mail").fill(agent.email)
    staff.get_by_label("Password").fill(password)
    staff.get_by_role("button", name="Sign in").click()
    staff.get_by_label("Code").fill(totp_code(agent))
    staff.get_by_role("button", name="Verify").click()
    case = RecoveryCase.objects.get(user=owner)
    expect(staff).to_have_url(re.compile(r"/admin/recovery/recoverycase/$"))
    staff.get_by_role("link", name=case.reference).click()
    expect(staff.locator("#documents")).to_contain_text("passport.pdf")
    expect(staff.locator("#requests")).to_contain_text("courier")
    with staff.expect_download() as download:
        staff.locator("#documents").get_by_role("link", name="Download").click()
    assert download.value.suggested_filename == f"{case.reference}-identity-{case.documents.get().pk}.pdf"
    staff.get_by_role("link", name="Approve").click()
    staff.get_by_label("Reason").fill("Passport matches the shop owner.")
    staff.get_by_role("button", name="Approve").click()
    expect(staff.locator(".messagelist")).to_contain_text(f"Approve: done for case {case.reference}")
    case.refresh_from_db()
    assert case.status == CaseStatus.APPROVED

    # The owner sets a new password, then the authenticator app, and signs in.
    person.goto(f"{live_server.url}/link/#{newest_link(CONTACT, 'set a new password')}")
    expect(person).to_have_url(re.compile(r"/recover/restore/$"))
    new_password = "Harbour-lantern-93!"
    person.get_by_label("New password", exact=True).fill(new_password)
    person.get_by_label("New password, again").fill(new_password)
    person.get_by_role("button", name="Save and continue").click()
    secret = person.locator("#totp-secret").get_attribute("data-secret")
    person.get_by_label("Code from the app").fill(pyotp.TOTP(secret).now())
    person.get_by_role("button", name="Turn on two-step verification").click()
    expect(person.get_by_role("heading", name="Your account is back")).to_be_visible()
    expect(person.locator("#recovery-codes code")).to_have_count(10)

    person.get_by_role("link", name="Sign in").click()
    person.get_by_label("E-mail").fill(owner.email)
    person.get_by_label("Password").fill(new_password)
    person.get_by_role("button", name="Sign in").click()
    person.get_by_label("Code").fill(pyotp.TOTP(secret).at(time.time() + 30))
    person.get_by_role("button", name="Verify").click()
    expect(person).to_have_url(re.compile(r"/shops/$"))
