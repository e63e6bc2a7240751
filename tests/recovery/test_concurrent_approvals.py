"""Two agents approve the same case at the same moment, on PostgreSQL: the case's row lock lets one
through, the other is refused with a clear message, and the approval's work happens once."""

import threading
import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, transaction
from django.test import Client

from audit.events import RequestContext
from recovery.models import CaseNotice, CaseStatus, CaseStep, RecoveryCase
from recovery.services.approval import carry_out_approval
from recovery.services.cases import submit_request
from recovery.services.documents import add_document
from tests.recovery import files
from tests.recovery.conftest import make_agent

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def waiting_on_locks() -> int:
    with connection.cursor() as cursor:
        # Inside a transaction PostgreSQL keeps showing its first snapshot of the statistics.
        cursor.execute("SELECT pg_stat_clear_snapshot()")
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity "
            "WHERE datname = current_database() AND wait_event_type = 'Lock'"
        )
        return cursor.fetchone()[0]


def test_two_agents_approving_at_once_one_wins_and_the_task_runs_once(user, fully_signed_in):
    case = submit_request(
        account_email=user.email,
        contact_email="me@contact.example",
        description="x",
        context=RequestContext(),
    )
    add_document(
        case, kind="identity", upload=SimpleUploadedFile("id.pdf", files.pdf()), context=RequestContext()
    )
    case.refresh_from_db()
    agents = [make_agent("ada@support.example"), make_agent("bob@support.example")]
    clients = [fully_signed_in(agent, client=Client()) for agent in agents]
    answers = {}

    def approve(n):
        try:
            answers[n] = clients[n].post(
                f"/admin/recovery/recoverycase/{case.pk}/act/approve/",
                {"reason": f"Checked by agent {n}.", "revision": case.revision},
            )
        finally:
            connection.close()

    threads = [threading.Thread(target=approve, args=(n,)) for n in range(2)]
    with transaction.atomic():
        # Hold the case so that both agents' requests are inside the service, waiting for its lock.
        RecoveryCase.objects.select_for_update().get(pk=case.pk)
        for thread in threads:
            thread.start()
        deadline = time.monotonic() + 20
        while waiting_on_locks() < 2 and time.monotonic() < deadline:
            time.sleep(0.05)
        assert waiting_on_locks() >= 2, "both approvals should be waiting for the case's lock"
    for thread in threads:
        thread.join(timeout=30)

    statuses = sorted(answer.status_code for answer in answers.values())
    assert statuses == [302, 409]
    [refused] = [answer for answer in answers.values() if answer.status_code == 409]
    assert "changed while you were reading it" in refused.content.decode()
    assert "Approved" in refused.content.decode()
    case.refresh_from_db()
    assert case.status == CaseStatus.APPROVED and case.access_reset_at is not None
    assert case.steps.filter(kind=CaseStep.Kind.APPROVED).count() == 1
    assert case.steps.filter(kind=CaseStep.Kind.ACCESS_RESET).count() == 1
    assert CaseNotice.objects.filter(case=case, template="approved", link="restore").count() == 1
    # Run again (a redelivered task, the beat sweep): nothing more happens.
    assert carry_out_approval(case.pk) is False
    assert case.steps.filter(kind=CaseStep.Kind.ACCESS_RESET).count() == 1
