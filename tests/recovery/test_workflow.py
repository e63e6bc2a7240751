"""The whole way back, in one process: request, freeze, documents, review in the admin, approval,
new password, two-step enrolment, sign-in. (tests/integration/ runs it again with a real worker.)"""

import re
from datetime import timedelta

import pyotp
import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from accounts.models import FreezeScope
from audit.models import EventKind, SecurityEvent
from recovery.models import CaseStatus, CaseStep, RecoveryCase
from security.two_step import devices
from tests.conftest import open_email_link, totp_code
from tests.factories import STRONG_PASSWORD
from tests.recovery import files
from tests.recovery.conftest import last_link_token, mails_to, upload

pytestmark = pytest.mark.django_db

CONTACT = "olivia.new@contact.example"
NEW_PASSWORD = "Harbour-lantern-93!"


def test_a_phished_owner_gets_the_account_back_through_documents_and_review(
    owner_with_totp, fully_signed_in, recover, upload_client, committed, agent
):
    owner = owner_with_totp
    intruder = fully_signed_in(owner, client=Client())

    # 1. A request on /recover/: the account is frozen in the same request.
    response = recover(owner.email, CONTACT, description="Someone changed my payout account.")
    assert response.status_code == 302 and response["Location"] == "/recover/sent/"
    owner.refresh_from_db()
    assert owner.is_frozen and owner.freeze_scope == FreezeScope.UNPROVEN
    case = RecoveryCase.objects.get(user=owner)
    assert case.status == CaseStatus.AWAITING_DOCUMENTS and case.contact_email == CONTACT

    # 2. The session that was open is refused on its very next request, page and API alike.
    page = intruder.get("/account/security/")
    assert page.status_code == 302 and page["Location"].startswith("/login/")
    assert intruder.get("/api/v1/me").status_code in (401, 403)

    # 3. The contact address sends documents through its link.
    [received] = [m for m in mails_to(CONTACT) if "send your documents" in m.subject]
    assert case.reference in received.body
    browser = upload_client(CONTACT)
    assert committed(upload, browser, files.pdf(), name="passport.pdf").status_code == 302
    assert committed(upload, browser, files.png(), name="invoice.png", kind="ownership").status_code == 302
    case.refresh_from_db()
    assert case.status == CaseStatus.IN_REVIEW and case.documents.count() == 2

    # 4. Support review it in the admin and approve it.
    staff = fully_signed_in(agent, client=Client())
    queue = staff.get("/admin/recovery/recoverycase/")
    assert queue.status_code == 200 and case.reference in queue.content.decode()
    page = staff.get(f"/admin/recovery/recoverycase/{case.pk}/change/")
    assert "passport.pdf" in page.content.decode() and "invoice.png" in page.content.decode()
    document = case.documents.get(name="passport.pdf")
    download = staff.get(f"/admin/recovery/recoverycase/document/{document.pk}/")
    assert download["Content-Disposition"].startswith("attachment;")
    assert download["X-Content-Type-Options"] == "nosniff"
    assert b"".join(download.streaming_content).startswith(b"%PDF-")
    approved = committed(
        staff.post,
        f"/admin/recovery/recoverycase/{case.pk}/act/approve/",
        {"reason": "Passport matches the owner; invoice names the shop.", "revision": case.revision},
    )
    assert approved.status_code == 302, approved.content.decode()[:2000]
    case.refresh_from_db()
    owner.refresh_from_db()
    assert case.status == CaseStatus.APPROVED and case.access_reset_at is not None
    assert owner.is_fully_frozen and not owner.has_usable_password()
    assert devices.totp_device(owner) is None and devices.recovery_codes_left(owner) == 0

    # 5. The owner sets a new password and enrols the authenticator app through the single-use link.
    [approval_mail] = [m for m in mails_to(CONTACT) if "approved: set a new password" in m.subject]
    browser = Client()
    assert open_email_link(browser, last_link_token(CONTACT))["Location"] == "/recover/restore/"
    step_one = committed(
        browser.post, "/recover/restore/", {"new_password": NEW_PASSWORD, "new_password_again": NEW_PASSWORD}
    )
    assert step_one.status_code == 302
    step_two = browser.get("/recover/restore/")
    secret = re.search(r'data-secret="([A-Z2-7]+)"', step_two.content.decode()).group(1)
    done = committed(browser.post, "/recover/restore/", {"code": pyotp.TOTP(secret).now()})
    assert done.status_code == 200 and "Your account is back" in done.content.decode()
    owner.refresh_from_db()
    case.refresh_from_db()
    assert not owner.is_frozen and case.status == CaseStatus.RESTORED
    assert approval_mail.to == [CONTACT]

    # 6. The owner signs in as usual; the old password and the old recovery codes are dead.
    assert Client().post("/login/", {"email": owner.email, "password": STRONG_PASSWORD}).status_code == 400
    signed_in = Client()
    response = signed_in.post("/login/", {"email": owner.email, "password": NEW_PASSWORD})
    assert response["Location"].startswith("/login/verify/")
    old_code = owner_with_totp.recovery_codes[0]
    assert signed_in.post("/login/verify/", {"code": old_code}).status_code == 400
    # A wrong code makes the next one wait a second (security/two_step/codes.py).
    with time_machine.travel(timezone.now() + timedelta(seconds=31)):
        assert signed_in.post("/login/verify/", {"code": totp_code(owner)}).status_code == 302
        assert signed_in.get("/account/security/").status_code == 200

    steps = list(case.steps.values_list("kind", flat=True))
    for kind in (
        "opened",
        "requested",
        "frozen",
        "document_received",
        "approved",
        "access_reset",
        "restored",
    ):
        assert kind in steps
    assert (
        SecurityEvent.objects.filter(user=owner, kind=EventKind.RECOVERY_CASE_STEP).count() >= len(steps) - 2
    )
    assert CaseStep.objects.filter(case=case, kind="document_opened", by=agent).exists()
