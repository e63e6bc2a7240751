"""Support in the admin: the queue, the case page, downloads, and each action with its reason, its
permission, its refusals and what the person is told; four eyes."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.models import FreezeScope
from audit.events import RequestContext
from audit.models import EventKind, SecurityEvent
from recovery.models import CaseStatus, CaseStep, RecoveryCase
from recovery.services import review
from recovery.services.documents import add_document
from recovery.services.errors import CaseRefused
from security import login_protection
from security.models import LoginFailure
from security.two_step import devices
from tests.factories import BillFactory, PayoutAccountFactory, ShopFactory
from tests.recovery import files
from tests.recovery.conftest import last_link_token, mails_to, make_agent

pytestmark = pytest.mark.django_db

CONTACT = "me.now@contact.example"


@pytest.fixture
def case_of(recover):
    """case_of(user, contact=…, documents=1, **request) → a case waiting for review."""

    def make(user, contact=CONTACT, *, documents=1, **extra):
        recover(user.email, contact, **extra)
        case = RecoveryCase.objects.get(user=user, closed_at__isnull=True)
        for n in range(documents):
            add_document(
                case,
                kind="identity",
                upload=SimpleUploadedFile(f"passport{n}.pdf", files.pdf()),
                context=RequestContext(),
            )
        case.refresh_from_db()
        return case

    return make


@pytest.fixture
def staff(fully_signed_in, agent):
    return fully_signed_in(agent, client=Client())


def act(committed, client, case, action, **data):
    case.refresh_from_db()
    return committed(
        client.post,
        f"/admin/recovery/recoverycase/{case.pk}/act/{action}/",
        {"reason": "Checked the documents.", "revision": case.revision, **data},
    )


class TestQueue:
    def test_open_cases_are_listed_oldest_waiting_first_and_closed_ones_on_request(
        self, staff, case_of, user
    ):
        waiting = case_of(user)
        other = ShopFactory().owner
        closed = case_of(other)
        closed.reject(reason="x")
        closed.save()

        queue = staff.get("/admin/recovery/recoverycase/").content.decode()
        assert waiting.reference in queue and closed.reference not in queue
        assert closed.reference in staff.get("/admin/recovery/recoverycase/?queue=closed").content.decode()
        assert closed.reference in staff.get("/admin/recovery/recoverycase/?queue=all").content.decode()

    @pytest.mark.parametrize("term", ["reference", "account", "contact"])
    def test_search_by_reference_or_address(self, staff, case_of, user, term):
        case = case_of(user)
        other = case_of(ShopFactory().owner, contact="other@contact.example")
        query = {"reference": case.reference, "account": user.email, "contact": CONTACT}[term]
        page = staff.get("/admin/recovery/recoverycase/", {"q": query, "queue": "all"}).content.decode()
        assert case.reference in page and other.reference not in page

    def test_a_page_of_the_queue_costs_the_same_queries_with_more_cases(self, staff, case_of):
        case_of(ShopFactory().owner, documents=2)
        staff.get("/admin/recovery/recoverycase/")
        with CaptureQueriesContext(connection) as few:
            assert staff.get("/admin/recovery/recoverycase/").status_code == 200
        for n in range(30):
            case_of(ShopFactory().owner, contact=f"c{n}@contact.example", documents=n % 3)
        with CaptureQueriesContext(connection) as many:
            assert staff.get("/admin/recovery/recoverycase/").status_code == 200
        assert len(many) == len(few)


class TestCasePage:
    def test_it_shows_requests_documents_timeline_security_log_and_payout_account(
        self, staff, owner, case_of
    ):
        payout = PayoutAccountFactory(
            shop=owner.owned_shops.get(), account_number="004512347788", bank_name="First Bank"
        )
        case = case_of(owner, description="They changed my bank details.")
        page = staff.get(f"/admin/recovery/recoverycase/{case.pk}/change/").content.decode()

        assert "They changed my bank details." in page
        assert "passport0.pdf" in page and "Download" in page
        assert "Document received" in page and "Account frozen" in page
        assert "Recovery case step" in page
        assert "First Bank" in page and payout.masked in page and "004512347788" not in page
        for label in ("Ask for more documents", "Approve", "Reject", "Unfreeze as a false alarm"):
            assert label in page

    def test_the_security_log_reads_as_sentences_not_raw_fields(self, staff, user, case_of):
        case = case_of(user)
        page = staff.get(f"/admin/recovery/recoverycase/{case.pk}/change/").content.decode()
        log = page[page.index('id="security-events"') :]

        assert f"Account frozen (recovery requested, case {case.reference})." in log
        assert "Money moves are held" in log
        assert "sessions_ended" not in log and "widened" not in log and "by: ;" not in log

    def test_staff_without_the_review_permission_read_but_cannot_act_or_download(
        self, fully_signed_in, case_of, user, committed
    ):
        reader = fully_signed_in(make_agent("reader@support.example", may_review=False), client=Client())
        case = case_of(user)
        document = case.documents.get()

        page = reader.get(f"/admin/recovery/recoverycase/{case.pk}/change/")
        assert page.status_code == 200 and "/act/" not in page.content.decode()
        assert reader.get(f"/admin/recovery/recoverycase/document/{document.pk}/").status_code == 403
        assert reader.get(f"/admin/recovery/recoverycase/{case.pk}/act/approve/").status_code == 403
        assert act(committed, reader, case, "approve").status_code == 403
        case.refresh_from_db()
        assert case.status == CaseStatus.IN_REVIEW

    def test_a_download_is_an_attachment_that_no_browser_renders(self, staff, case_of, user):
        case = case_of(user)
        document = case.documents.get()
        response = staff.get(f"/admin/recovery/recoverycase/document/{document.pk}/")
        assert response.status_code == 200
        assert response["Content-Type"] == "application/pdf"
        assert (
            response["Content-Disposition"]
            == f'attachment; filename="{case.reference}-identity-{document.pk}.pdf"'
        )
        assert response["X-Content-Type-Options"] == "nosniff"
        assert "sandbox" in response["Content-Security-Policy"]
        assert "no-store" in response["Cache-Control"]
        assert case.steps.filter(kind=CaseStep.Kind.DOCUMENT_OPENED).count() == 1

    def test_the_queue_needs_the_admin_and_its_authenticator(self, case_of, user, client):
        case = case_of(user)
        assert client.get(f"/admin/recovery/recoverycase/{case.pk}/change/").status_code == 302


class TestActions:
    def test_every_action_needs_a_reason(self, staff, case_of, user, committed):
        case = case_of(user)
        response = act(committed, staff, case, "approve", reason="")
        assert response.status_code == 400
        case.refresh_from_db()
        assert case.status == CaseStatus.IN_REVIEW

    def test_an_illegal_transition_is_refused_with_a_message(self, staff, case_of, user, committed):
        case = case_of(user, documents=0)
        response = act(committed, staff, case, "approve")
        assert response.status_code == 409
        assert "not possible while case" in response.content.decode()

    def test_acting_on_a_case_that_moved_since_it_was_read_is_refused(self, staff, case_of, user, committed):
        case = case_of(user)
        seen = case.revision
        act(committed, staff, case, "more-documents", reason="The photo is blurred.")
        response = committed(
            staff.post,
            f"/admin/recovery/recoverycase/{case.pk}/act/reject/",
            {"reason": "No.", "revision": seen},
        )
        assert (
            response.status_code == 409 and "changed while you were reading it" in response.content.decode()
        )
        case.refresh_from_db()
        assert case.status == CaseStatus.AWAITING_DOCUMENTS

    def test_asking_for_more_documents_opens_a_round_with_a_fresh_link(self, staff, case_of, user, committed):
        case = case_of(user)
        first_link = last_link_token(CONTACT)

        act(committed, staff, case, "more-documents", reason="The passport photo is blurred.")

        case.refresh_from_db()
        assert case.status == CaseStatus.AWAITING_DOCUMENTS and case.documents_round == 2
        message = mails_to(CONTACT)[-1]
        assert "need more documents" in message.subject and "The passport photo is blurred." in message.body
        assert last_link_token(CONTACT) != first_link

    def test_more_documents_can_go_to_another_address_a_request_gave(
        self, staff, case_of, user, recover, committed
    ):
        case = case_of(user)
        recover(user.email, "real.owner@contact.example", description="The first request was not mine.")
        act(
            committed,
            staff,
            case,
            "more-documents",
            reason="Please send your ID.",
            contact_email="real.owner@contact.example",
        )
        case.refresh_from_db()
        assert case.contact_email == "real.owner@contact.example"
        assert "/link/#" in mails_to("real.owner@contact.example")[-1].body

    def test_reject_closes_the_case_tells_why_and_keeps_the_account_frozen(
        self, staff, case_of, user, committed
    ):
        case = case_of(user)
        act(committed, staff, case, "reject", reason="The name on the document is not the owner's.")
        case.refresh_from_db()
        user.refresh_from_db()
        assert case.status == CaseStatus.REJECTED and user.is_frozen
        assert "not the owner's" in mails_to(CONTACT)[-1].body
        assert "stays frozen" in mails_to(user.email)[-1].body

    def test_reject_can_unfreeze_a_request_that_was_not_from_the_owner(self, staff, case_of, user, committed):
        case = case_of(user)
        act(committed, staff, case, "reject", reason="Impostor.", unfreeze="on")
        user.refresh_from_db()
        assert not user.is_frozen
        assert "unfrozen" in mails_to(user.email)[-1].body

    def test_a_false_alarm_unfreezes_and_closes(self, staff, case_of, user, committed):
        case = case_of(user)
        act(committed, staff, case, "false-alarm", reason="The owner called: it was their new phone.")
        case.refresh_from_db()
        user.refresh_from_db()
        assert case.status == CaseStatus.FALSE_ALARM and not user.is_frozen
        assert SecurityEvent.objects.filter(user=user, kind=EventKind.ACCOUNT_UNFROZEN).exists()

    def test_a_lockout_is_cleared_only_through_a_case(
        self, staff, case_of, user, committed, password, client
    ):
        for _ in range(5):
            client.post("/login/", {"email": user.email, "password": "Wrong-password-1!"})
        assert client.post("/login/", {"email": user.email, "password": password}).status_code == 429
        case = case_of(user)

        act(committed, staff, case, "clear-lockout", reason="The owner proved who they are by phone.")

        assert not LoginFailure.objects.filter(account=login_protection.account_key(user.email)).exists()
        event = SecurityEvent.objects.get(user=user, kind=EventKind.LOGIN_LOCKOUT_CLEARED)
        assert event.details["failures"] == 5 and event.details["by"] == "ada@support.example"
        assert "lifted the sign-in lockout" in mails_to(user.email)[-1].subject

    def test_the_failed_sign_ins_in_the_admin_cannot_be_deleted_there(
        self, fully_signed_in, staff_user, user, client
    ):
        client.post("/login/", {"email": user.email, "password": "Wrong-password-1!"})
        failure = LoginFailure.objects.get()
        root = fully_signed_in(staff_user, client=Client())
        listing = root.get("/admin/security/loginfailure/")
        assert listing.status_code == 200 and "delete_selected" not in listing.content.decode()
        assert (
            root.post(f"/admin/security/loginfailure/{failure.pk}/delete/", {"post": "yes"}).status_code
            == 403
        )
        assert LoginFailure.objects.filter(pk=failure.pk).exists()

    def test_two_step_is_reset_only_through_a_case(self, staff, case_of, user_with_totp, committed):
        case = case_of(user_with_totp)
        act(committed, staff, case, "reset-two-step", reason="Lost phone and codes; ID checked.")
        assert devices.totp_device(user_with_totp) is None
        assert SecurityEvent.objects.filter(user=user_with_totp, kind=EventKind.TWO_STEP_RESET).exists()
        assert "two-step verification was reset" in mails_to(user_with_totp.email)[-1].subject
        assert case.steps.filter(kind=CaseStep.Kind.TWO_STEP_RESET, by__isnull=False).exists()

    def test_after_a_two_step_reset_no_single_agent_can_unfreeze_the_account(
        self, staff, agent, case_of, user_with_totp, committed, password
    ):
        # Reset then "false alarm" (or "reject and unfreeze") would let the password alone in.
        case = case_of(user_with_totp)
        act(committed, staff, case, "reset-two-step", reason="Lost phone and codes; ID checked.")
        page = staff.get(f"/admin/recovery/recoverycase/{case.pk}/change/").content.decode()
        assert "/act/false-alarm/" not in page

        refused = act(committed, staff, case, "false-alarm", reason="The owner called.")
        assert refused.status_code == 409 and "Approve the case instead" in refused.content.decode()
        form = staff.get(f"/admin/recovery/recoverycase/{case.pk}/act/reject/").content.decode()
        assert 'name="unfreeze"' not in form
        case.refresh_from_db()
        with pytest.raises(CaseRefused) as unfreezing:
            review.reject(
                case.pk,
                agent=agent,
                revision=case.revision,
                reason="Impostor.",
                unfreeze=True,
                context=RequestContext(),
            )
        assert unfreezing.value.code == "two_step_reset_in_case"

        case.refresh_from_db()
        user_with_totp.refresh_from_db()
        assert case.status == CaseStatus.IN_REVIEW and user_with_totp.is_frozen
        response = Client().post("/login/", {"email": user_with_totp.email, "password": password})
        assert "/shops/" not in response.get("Location", "")

    def test_an_agent_cannot_work_a_case_about_their_own_account(self, agent, recover):
        # Their sessions ended with the freeze; a browser of theirs that may still sign in is refused too.
        recover(agent.email, CONTACT)
        case = RecoveryCase.objects.get(user=agent)
        with pytest.raises(CaseRefused) as refused:
            review.close_as_false_alarm(
                case.pk, agent=agent, revision=case.revision, reason="Not me.", context=RequestContext()
            )
        assert refused.value.code == "own_account" and refused.value.status == 403
        case.refresh_from_db()
        assert case.status == CaseStatus.AWAITING_DOCUMENTS

    def test_a_case_without_an_account_cannot_be_approved(self, staff, recover, committed):
        recover("nobody@example.com", CONTACT)
        case = RecoveryCase.objects.get(account_email="nobody@example.com")
        add_document(
            case, kind="identity", upload=SimpleUploadedFile("id.pdf", files.pdf()), context=RequestContext()
        )
        response = act(committed, staff, case, "approve")
        assert response.status_code == 409 and "nothing to recover" in response.content.decode()


class TestApproval:
    def test_one_approval_resets_access_and_sends_the_set_password_link(
        self, staff, case_of, user_with_totp, committed
    ):
        case = case_of(user_with_totp)
        act(committed, staff, case, "approve")
        case.refresh_from_db()
        user_with_totp.refresh_from_db()
        assert case.status == CaseStatus.APPROVED and case.access_reset_at is not None
        assert user_with_totp.freeze_scope == FreezeScope.FULL and not user_with_totp.has_usable_password()
        assert SecurityEvent.objects.filter(user=user_with_totp, kind=EventKind.PASSWORD_DISABLED).exists()
        approved = mails_to(CONTACT)[-1]
        assert "set a new password" in approved.subject and "/link/#" in approved.body
        # The registered address is told, and never gets a link.
        told = [m for m in mails_to(user_with_totp.email) if f"{case.reference} approved" in m.subject]
        assert len(told) == 1 and "contact address they gave" in told[0].body
        assert all("/link/#" not in m.body for m in mails_to(user_with_totp.email))

    def test_the_approval_freeze_sends_no_start_a_recovery_mail(self, staff, case_of, user, committed):
        case = case_of(user)
        before = len(mails_to(user.email))
        act(committed, staff, case, "approve")
        user.refresh_from_db()
        assert user.freeze_scope == FreezeScope.FULL
        after = mails_to(user.email)[before:]
        assert any(f"{case.reference} approved" in m.subject for m in after)
        assert not any("account is frozen" in m.subject for m in after)

    def test_approval_freezes_fully_so_the_payout_change_of_the_takeover_is_rolled_back(
        self, staff, case_of, owner, committed
    ):
        shop = owner.owned_shops.get()
        own = PayoutAccountFactory(shop=shop, status="replaced", bank_name="Owner's Bank")
        mule = PayoutAccountFactory(
            shop=shop,
            bank_name="Mule Bank",
            created=timezone.now() - timedelta(days=2),
            hold_reasons=["change"],
        )
        case = case_of(owner)
        own.refresh_from_db()
        assert own.status == "replaced"  # an unproven request only holds money moves

        act(committed, staff, case, "approve")

        own.refresh_from_db()
        mule.refresh_from_db()
        assert mule.status == "rolled_back" and own.status == "active"
        page = staff.get(f"/admin/recovery/recoverycase/{case.pk}/change/").content.decode()
        assert "Mule Bank" in page and "Rolled back" in page

    def test_an_address_change_asked_while_someone_held_the_account_is_cancelled(
        self, staff, case_of, user_with_totp, committed
    ):
        from security.email_change import pending_change, request_email_change

        request_email_change(user_with_totp, "thief@evil.example", context=RequestContext())
        case = case_of(user_with_totp)
        act(committed, staff, case, "approve")
        assert pending_change(user_with_totp) is None
        cancelled = SecurityEvent.objects.filter(user=user_with_totp, kind=EventKind.EMAIL_CHANGE_CANCELLED)
        assert cancelled.exists()

    def test_the_contact_becomes_the_sign_in_address_only_when_asked_and_confirmed(
        self, staff, case_of, user, committed
    ):
        case = case_of(user, make_sign_in_address="on")
        act(committed, staff, case, "approve", confirms_sign_in_address="on")
        user.refresh_from_db()
        assert user.email == CONTACT
        changed = SecurityEvent.objects.get(user=user, kind=EventKind.EMAIL_CHANGED)
        assert (changed.details["old_email"], changed.details["new_email"]) == ("seller@example.com", CONTACT)
        assert any("sign-in address changed" in m.subject for m in mails_to("seller@example.com"))

    def test_the_sign_in_address_stays_when_the_agent_does_not_confirm(self, staff, case_of, user, committed):
        case = case_of(user, make_sign_in_address="on")
        act(committed, staff, case, "approve")
        user.refresh_from_db()
        assert user.email == "seller@example.com"

    @pytest.mark.parametrize("why", ["balance", "hardened"])
    def test_four_eyes_take_two_different_agents(
        self, why, staff, case_of, owner, committed, settings, fully_signed_in
    ):
        settings.RECOVERY_FOUR_EYES_BALANCE = Decimal("1000.00")
        shop = owner.owned_shops.get()
        if why == "balance":
            BillFactory(shop=shop, amount=Decimal("1500.00"), fees=Decimal("40.00"), status="settled")
        else:
            owner.hardened_recovery = True
            owner.save()
        case = case_of(owner)
        assert "Four eyes" in staff.get(f"/admin/recovery/recoverycase/{case.pk}/change/").content.decode()

        act(committed, staff, case, "approve")
        case.refresh_from_db()
        owner.refresh_from_db()
        assert case.status == CaseStatus.SECOND_APPROVAL and owner.is_frozen and owner.has_usable_password()
        assert any("first approval" in m.subject for m in mails_to(owner.email))
        assert any("first approval" in m.subject for m in mails_to(CONTACT))

        again = act(committed, staff, case, "approve")
        assert again.status_code == 409 and "second, different agent" in again.content.decode()

        second = fully_signed_in(make_agent("carol@support.example"), client=Client())
        act(committed, second, case, "approve")
        case.refresh_from_db()
        assert case.status == CaseStatus.APPROVED and case.access_reset_at is not None
        assert case.first_approved_by.email == "ada@support.example"
        assert case.approved_by.email == "carol@support.example"

    def test_balances_add_up_per_currency_against_the_amount(self, owner, settings):
        from recovery.selectors import four_eyes_reasons

        settings.RECOVERY_FOUR_EYES_BALANCE = Decimal("1000.00")
        euro_shop = ShopFactory(owner=owner, currency="EUR")
        BillFactory(shop=owner.owned_shops.get(currency="USD"), amount=Decimal("700.00"), fees=Decimal("0"))
        BillFactory(shop=euro_shop, amount=Decimal("700.00"), fees=Decimal("0"))
        assert four_eyes_reasons(owner) == []  # 700 USD and 700 EUR: neither over 1,000 of its own

        BillFactory(shop=euro_shop, amount=Decimal("400.00"), fees=Decimal("0"), period=date(2019, 1, 1))
        [reason] = four_eyes_reasons(owner)
        assert "1,100.00" in reason and "EUR" in reason

    def test_below_the_amount_and_without_hardening_one_agent_is_enough(
        self, staff, case_of, owner, committed, settings
    ):
        settings.RECOVERY_FOUR_EYES_BALANCE = Decimal("1000.00")
        BillFactory(
            shop=owner.owned_shops.get(), amount=Decimal("900.00"), fees=Decimal("0"), status="settled"
        )
        BillFactory(shop=owner.owned_shops.get(), amount=Decimal("5000.00"), fees=Decimal("0"), status="open")
        case = case_of(owner)
        act(committed, staff, case, "approve")
        case.refresh_from_db()
        assert case.status == CaseStatus.APPROVED


class TestStaffFreeze:
    def test_staff_freeze_an_account_with_a_reason_and_a_case_opens(self, staff, user, committed):
        response = committed(
            staff.post,
            "/admin/recovery/recoverycase/freeze/",
            {"email": user.email, "reason": "Fraud report."},
        )
        case = RecoveryCase.objects.get(user=user)
        assert response.status_code == 302 and response["Location"].endswith(f"/{case.pk}/change/")
        user.refresh_from_db()
        assert user.is_fully_frozen and case.origin == "staff"
        assert case.steps.filter(kind=CaseStep.Kind.FROZEN, by__email="ada@support.example").exists()

    @pytest.mark.parametrize(
        ("form", "message"),
        [({"reason": ""}, "This field is required"), ({"email": "nobody@example.com"}, "No account uses")],
    )
    def test_a_staff_freeze_without_a_reason_or_an_account_is_refused(self, staff, user, form, message):
        response = staff.post(
            "/admin/recovery/recoverycase/freeze/", {"email": user.email, "reason": "Fraud.", **form}
        )
        assert response.status_code == 400 and message in response.content.decode()
        user.refresh_from_db()
        assert not user.is_frozen
