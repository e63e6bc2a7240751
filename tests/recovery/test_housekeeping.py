"""What Celery beat does: reminders to staff, closing abandoned cases, deleting old documents, and
sending what the broker could not take."""

import socket
from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.utils import timezone

from accounts.models import FreezeScope
from audit.events import RequestContext
from recovery import tasks
from recovery.models import CaseDocument, CaseNotice, CaseStatus, CaseStep, RecoveryCase
from recovery.services.documents import add_document
from security.freeze import FreezeOrigin, freeze_account
from tests.recovery import files
from tests.recovery.conftest import mails_to, make_agent, stored_files

pytestmark = pytest.mark.django_db

CONTACT = "me.now@contact.example"


def free_port() -> int:
    """A port nothing listens on: a mail server that refuses every connection."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def case(user, recover):
    recover(user.email, CONTACT)
    return RecoveryCase.objects.get(user=user)


def with_document(case):
    add_document(
        case, kind="identity", upload=SimpleUploadedFile("id.pdf", files.pdf()), context=RequestContext()
    )
    case.refresh_from_db()
    return case


class TestStaffReminder:
    def test_reviewers_hear_of_cases_waiting_over_48_hours_once_a_day(self, case, agent, committed):
        make_agent("reader@support.example", may_review=False)
        with_document(case)
        with time_machine.travel(timezone.now() + timedelta(hours=47)):
            assert committed(tasks.remind_staff) == 0
        with time_machine.travel(timezone.now() + timedelta(hours=49)):
            assert committed(tasks.remind_staff) == 1
            assert committed(tasks.remind_staff) == 0
        [reminder] = mails_to(agent.email)
        assert case.reference in reminder.body and "48 hours" in reminder.subject
        assert not mails_to("reader@support.example")
        with time_machine.travel(timezone.now() + timedelta(hours=74)):
            assert committed(tasks.remind_staff) == 1
        assert case.steps.filter(kind=CaseStep.Kind.STAFF_REMINDED).count() == 2

    def test_cases_waiting_for_the_person_are_not_staffs_to_chase(self, case, agent, committed):
        with time_machine.travel(timezone.now() + timedelta(days=5)):
            assert committed(tasks.remind_staff) == 0


class TestAbandonedCases:
    def test_a_case_without_documents_closes_after_14_days_and_its_unproven_freeze_lifts(
        self, case, user, committed
    ):
        with time_machine.travel(timezone.now() + timedelta(days=13, hours=23)):
            assert committed(tasks.close_abandoned_cases) == 0
        with time_machine.travel(timezone.now() + timedelta(days=14, minutes=1)):
            assert committed(tasks.close_abandoned_cases) == 1
        case.refresh_from_db()
        user.refresh_from_db()
        assert case.status == CaseStatus.EXPIRED and not user.is_frozen
        assert "no documents" in mails_to(CONTACT)[-1].subject
        assert "unfrozen again" in mails_to(user.email)[-1].body

    def test_a_full_freeze_stays_when_its_case_closes(self, user, committed):
        committed(
            freeze_account,
            user,
            scope=FreezeScope.FULL,
            origin=FreezeOrigin.ALERT_LINK,
            reason="This wasn't me",
            context=RequestContext(),
        )
        with time_machine.travel(timezone.now() + timedelta(days=15)):
            assert committed(tasks.close_abandoned_cases) == 1
        user.refresh_from_db()
        assert user.is_fully_frozen

    def test_a_case_with_documents_stays_open(self, case, committed):
        with_document(case)
        with time_machine.travel(timezone.now() + timedelta(days=30)):
            assert committed(tasks.close_abandoned_cases) == 0


class TestDocumentsPurge:
    def closed_with_documents(self, case):
        with_document(case)
        case.reject(reason="x")
        case.save()
        return case

    def test_files_of_cases_closed_over_90_days_ago_are_deleted_and_the_rows_stay(
        self, case, private_media, committed
    ):
        self.closed_with_documents(case)
        with time_machine.travel(timezone.now() + timedelta(days=89)):
            assert committed(tasks.purge_documents) == 0
        assert len(stored_files(private_media)) == 1
        with time_machine.travel(timezone.now() + timedelta(days=91)):
            assert committed(tasks.purge_documents) == 1
        assert stored_files(private_media) == []
        document = CaseDocument.objects.get()
        assert document.purged_at is not None and document.name == "id.pdf"
        assert case.steps.filter(kind=CaseStep.Kind.DOCUMENTS_PURGED).exists()

    def test_open_cases_keep_their_files(self, case, private_media, committed):
        with_document(case)
        with time_machine.travel(timezone.now() + timedelta(days=200)):
            assert committed(tasks.purge_documents) == 0
        assert len(stored_files(private_media)) == 1

    def test_the_command_does_the_same_on_demand(self, case, private_media, capsys):
        self.closed_with_documents(case)
        with time_machine.travel(timezone.now() + timedelta(days=10)):
            call_command("purge_recovery_documents")
            assert len(stored_files(private_media)) == 1
            call_command("purge_recovery_documents", "--days", "7")
        assert stored_files(private_media) == []
        assert "Deleted 1 document file" in capsys.readouterr().out
        with pytest.raises(CommandError):
            call_command("purge_recovery_documents", "--days", "0")


class TestSweeps:
    def test_a_notice_the_broker_never_took_is_sent_by_the_sweep_once(self, user, recover, client):
        # Not committed(): the request's on-commit hand-over to the broker never ran, as in an outage.
        client.post("/recover/", {"account_email": user.email, "contact_email": CONTACT, "description": "x"})
        notice = CaseNotice.objects.get(to=CONTACT)
        assert notice.sent_at is None and not mail.outbox

        with time_machine.travel(timezone.now() + timedelta(seconds=10)):
            assert tasks.send_pending_notices() == 0
        with time_machine.travel(timezone.now() + timedelta(minutes=1)):
            assert tasks.send_pending_notices() == 1
            assert tasks.send_pending_notices() == 0
        assert [m.subject for m in mails_to(CONTACT)] == [mails_to(CONTACT)[0].subject]
        assert "/link/#" in mails_to(CONTACT)[0].body

    def test_an_approval_whose_task_never_ran_is_resumed_once(self, case, agent, committed):
        from recovery.services import review

        with_document(case)
        # The approval commits, but its task is never handed to a broker.
        review.approve(case.pk, agent=agent, revision=case.revision, reason="ok", context=RequestContext())
        case.refresh_from_db()
        assert case.status == CaseStatus.APPROVED and case.access_reset_at is None

        with time_machine.travel(timezone.now() + timedelta(minutes=1)):
            assert committed(tasks.resume_approvals) == 1
        case.refresh_from_db()
        assert case.access_reset_at is not None
        assert committed(tasks.resume_approvals) == 0
        assert case.steps.filter(kind=CaseStep.Kind.ACCESS_RESET).count() == 1

    def test_a_mail_server_that_refuses_leaves_the_notice_for_the_next_sweep(self, user, client, settings):
        client.post("/recover/", {"account_email": user.email, "contact_email": CONTACT, "description": "x"})
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", free_port()
        with time_machine.travel(timezone.now() + timedelta(minutes=1)):
            assert tasks.send_pending_notices() == 0
        notice = CaseNotice.objects.get(to=CONTACT)
        assert notice.sent_at is None and notice.claimed_at is None

        settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
        with time_machine.travel(timezone.now() + timedelta(minutes=2)):
            assert tasks.send_pending_notices() == 1
        assert len(mails_to(CONTACT)) == 1

    def test_a_notice_taken_by_a_sender_that_died_goes_out_after_the_claim_times_out(self, user, client):
        client.post("/recover/", {"account_email": user.email, "contact_email": CONTACT, "description": "x"})
        CaseNotice.objects.filter(to=CONTACT).update(claimed_at=timezone.now())
        with time_machine.travel(timezone.now() + timedelta(minutes=1)):
            assert tasks.send_pending_notices() == 0
        with time_machine.travel(timezone.now() + timedelta(minutes=3)):
            assert tasks.send_pending_notices() == 1
        assert len(mails_to(CONTACT)) == 1
