"""E-mail leaves the request path: a real Celery worker, fed through Redis, delivers what send_email queues.

Runs when REDIS_URL names a broker. In CI (CI=true or REQUIRE_WORKER set) a missing REDIS_URL is a
failure, not a skip.
"""

import os
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.db import transaction

from notifications.email import send_email
from sellercenter.celery import app

pytestmark = [pytest.mark.integration, pytest.mark.redis, pytest.mark.django_db(transaction=True)]

ROOT = Path(__file__).resolve().parents[2]
TEMPLATES = Path(__file__).resolve().parent / "templates"
NEVER_ASK = "Seller Center will never ask for your password, one-time codes or PIN."


@pytest.fixture
def broker():
    url = os.environ.get("REDIS_URL", "")
    if not url:
        if os.environ.get("CI") == "true" or os.environ.get("REQUIRE_WORKER"):
            pytest.fail("REDIS_URL must name the Redis broker here: the worker test may not skip.")
        pytest.skip("REDIS_URL is not set: no broker for a real worker.")
    return url


@pytest.fixture
def queue(broker, settings):
    """A queue of this test's own, sent to for real (not eagerly), so no other worker takes its tasks."""
    name = f"integration-{uuid.uuid4().hex[:12]}"
    settings.CELERY_TASK_ALWAYS_EAGER = False
    settings.TEMPLATES = [
        {**django_settings.TEMPLATES[0], "DIRS": [*django_settings.TEMPLATES[0]["DIRS"], TEMPLATES]}
    ]
    previous = app.conf.task_always_eager, app.conf.task_default_queue
    app.conf.task_always_eager = False
    app.conf.task_default_queue = name
    yield name
    app.conf.task_always_eager, app.conf.task_default_queue = previous


@pytest.fixture
def start_worker(queue, tmp_path):
    """start_worker() → the mail directory of a `celery worker -c 1` consuming the test's queue."""
    mail_dir = tmp_path / "mail"
    log_path = tmp_path / "worker.log"
    workers = []

    def start():
        env = {
            **os.environ,
            "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
            "EMAIL_FILE_PATH": str(mail_dir),
        }
        command = [sys.executable, "-m", "celery", "-A", "sellercenter", "worker", "-c", "1", "-Q", queue]
        command += ["-n", f"{queue}@%h", "--without-gossip", "--without-mingle", "--loglevel", "INFO"]
        with log_path.open("a") as log:
            workers.append(subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT))
        return mail_dir

    yield start
    for worker in workers:
        worker.terminate()
        try:
            worker.wait(timeout=15)
        except subprocess.TimeoutExpired:
            worker.kill()
            worker.wait()


def delivered_mail(mail_dir: Path, reference: str, timeout: float = 30.0) -> str:
    """Every message the worker wrote, once one of them carries this reference."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        messages = "".join(f.read_text() for f in sorted(mail_dir.glob("*.log"))) if mail_dir.exists() else ""
        if reference in messages:
            return messages
        time.sleep(0.2)
    log = mail_dir.parent / "worker.log"
    raise AssertionError(
        f"No e-mail with {reference} arrived within {timeout:.0f} s. The worker said:\n"
        + (log.read_text()[-4000:] if log.exists() else "nothing")
    )


def test_an_email_sent_in_a_committed_transaction_is_delivered_by_the_worker(start_worker):
    mail_dir = start_worker()
    reference = uuid.uuid4().hex[:8]

    with transaction.atomic():
        send_email("seller@example.com", "worker_check", {"reference": reference})

    message = delivered_mail(mail_dir, reference)
    assert f"Subject: Your delivery check {reference}" in message
    assert "To: seller@example.com" in message
    assert NEVER_ASK in message


def test_an_email_queued_while_no_worker_runs_is_delivered_when_one_starts(start_worker, tmp_path):
    reference = uuid.uuid4().hex[:8]
    with transaction.atomic():
        send_email("seller@example.com", "worker_check", {"reference": reference})
    assert not (tmp_path / "mail").exists()

    message = delivered_mail(start_worker(), reference)
    assert NEVER_ASK in message


def test_an_email_of_a_rolled_back_transaction_is_never_sent(start_worker):
    mail_dir = start_worker()
    with pytest.raises(RuntimeError), transaction.atomic():
        send_email("seller@example.com", "worker_check", {"reference": "rolled-back"})
        raise RuntimeError("the action failed after its e-mail was composed")
    reference = uuid.uuid4().hex[:8]
    with transaction.atomic():
        send_email("seller@example.com", "worker_check", {"reference": reference})

    message = delivered_mail(mail_dir, reference)
    assert "rolled-back" not in message
