"""The payout run on a real Celery worker fed through Redis: it pays out what no hold or freeze holds
back, leaves the rest requested, and a second delivery of the same run pays nothing twice."""

import os
import subprocess
import sys
import time
import uuid
from datetime import timedelta
from pathlib import Path

import pytest
from django.db import connection
from django.utils import timezone

from commerce.models import WithdrawalStatus
from commerce.tasks import pay_out_withdrawals
from sellercenter.celery import app
from tests.factories import BillFactory, PayoutAccountFactory, ShopFactory, WithdrawalFactory

pytestmark = [pytest.mark.integration, pytest.mark.redis, pytest.mark.django_db(transaction=True)]

ROOT = Path(__file__).resolve().parents[2]


def _database_url() -> str:
    """The test database, as the worker process must open it."""
    settings = connection.settings_dict
    if settings["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{settings['NAME']}"
    user, host, port = settings["USER"], settings["HOST"] or "127.0.0.1", settings["PORT"] or 5432
    return f"postgres://{user}@{host}:{port}/{settings['NAME']}"


@pytest.fixture
def worker(settings, tmp_path):
    if not os.environ.get("REDIS_URL"):
        pytest.skip("REDIS_URL is not set: no broker for a real worker.")
    queue = f"payout-{uuid.uuid4().hex[:12]}"
    settings.CELERY_TASK_ALWAYS_EAGER = False
    previous = app.conf.task_always_eager, app.conf.task_default_queue
    app.conf.task_always_eager, app.conf.task_default_queue = False, queue
    env = {
        **os.environ,
        "DATABASE_URL": _database_url(),
        "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
    }
    command = [sys.executable, "-m", "celery", "-A", "sellercenter", "worker", "-c", "1", "-Q", queue]
    command += ["-n", f"{queue}@%h", "--without-gossip", "--without-mingle", "--loglevel", "INFO"]
    log = (tmp_path / "worker.log").open("w")
    process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    yield tmp_path / "worker.log"
    process.terminate()
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        process.kill()
    log.close()
    app.conf.task_always_eager, app.conf.task_default_queue = previous


def _wait_for(predicate, log_path: Path, timeout: float = 40.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.3)
    raise AssertionError("The worker did not get there. It said:\n" + log_path.read_text()[-4000:])


def test_the_payout_run_on_a_worker_pays_what_no_hold_holds_back(worker):
    free = ShopFactory()
    BillFactory(shop=free)
    payable = WithdrawalFactory(payout_account=PayoutAccountFactory(shop=free))
    held_shop = ShopFactory()
    BillFactory(shop=held_shop)
    recent = PayoutAccountFactory(
        shop=held_shop, created=timezone.now(), hold_until=timezone.now() + timedelta(days=3)
    )
    held = WithdrawalFactory(payout_account=recent)

    pay_out_withdrawals.delay()
    _wait_for(lambda: type(payable).objects.get(pk=payable.pk).status == WithdrawalStatus.PAID, worker)
    pay_out_withdrawals.delay()  # delivered again: nothing is paid twice
    time.sleep(2)

    payable.refresh_from_db()
    held.refresh_from_db()
    assert payable.status == WithdrawalStatus.PAID and payable.payout_reference.startswith("PO-")
    assert held.status == WithdrawalStatus.REQUESTED
    from audit.models import EventKind, SecurityEvent

    assert SecurityEvent.objects.filter(kind=EventKind.WITHDRAWAL_PAID).count() == 1
