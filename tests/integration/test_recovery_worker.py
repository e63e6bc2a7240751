"""Recovery with a real Celery worker over Redis: the whole way back, a worker killed in the middle of
the approval, and a request made while the broker is down.

Runs when REDIS_URL names a broker (CI: it must). The worker, and for the outage a gunicorn server
and Celery beat, are separate processes on the test's database.
"""

import json
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path

import pyotp
import pytest
from django.conf import settings as django_settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, transaction
from django.test import Client

from audit.events import RequestContext
from bench.load import Client as HttpClient
from recovery.models import CaseNotice, CaseStatus, CaseStep, RecoveryCase
from recovery.services import review
from recovery.services.cases import submit_request
from recovery.services.documents import add_document
from sellercenter.celery import app
from tests.conftest import email_link_tokens, open_email_link, totp_code
from tests.recovery import files
from tests.recovery.conftest import make_agent

pytestmark = [pytest.mark.integration, pytest.mark.redis, pytest.mark.django_db(transaction=True)]

ROOT = Path(__file__).resolve().parents[2]
CONTACT = "owner.now@contact.example"
NEW_PASSWORD = "Harbour-lantern-93!"
# Seconds before the broker hands a task that a dead worker took to another worker.
VISIBILITY_TIMEOUT = 3


def database_url() -> str:
    """The test database, for the processes this module starts."""
    db = connection.settings_dict
    if db["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{db['NAME']}"
    credentials = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    return f"postgres://{credentials}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def broker():
    url = os.environ.get("REDIS_URL", "")
    if not url:
        pytest.skip("REDIS_URL is not set: no broker for a real worker.")
    return url


@pytest.fixture
def private_media(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    settings.RECOVERY_REQUEST_RATE = "10000/hour"
    return settings.PRIVATE_MEDIA_ROOT


@pytest.fixture
def queue(broker, settings, private_media):
    """A queue of the test's own, sent to for real, so no other worker takes its tasks."""
    name = f"recovery-{uuid.uuid4().hex[:12]}"
    settings.CELERY_TASK_ALWAYS_EAGER = False
    previous = app.conf.task_always_eager, app.conf.task_default_queue
    app.conf.task_always_eager = False
    app.conf.task_default_queue = name
    yield name
    app.conf.task_always_eager, app.conf.task_default_queue = previous


@pytest.fixture
def processes(tmp_path):
    """spawn(name, command, **env) → a process in its own group, stopped (all of it) after the test."""
    started: list[subprocess.Popen] = []

    def spawn(name, command, **env):
        log = (tmp_path / f"{name}.log").open("a")
        environment = {
            **os.environ,
            "DATABASE_URL": database_url(),
            "PRIVATE_MEDIA_ROOT": str(django_settings.PRIVATE_MEDIA_ROOT),
            "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
            "EMAIL_FILE_PATH": str(tmp_path / "mail"),
            **env,
        }
        process = subprocess.Popen(
            command, cwd=ROOT, env=environment, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )
        started.append(process)
        return process

    yield spawn
    for process in started:
        kill(process, signal.SIGTERM)


def kill(process: subprocess.Popen, sig=signal.SIGKILL) -> None:
    """Stop the process and everything it started (a worker's pool children too)."""
    if process.poll() is None:
        os.killpg(process.pid, sig)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def worker_command(queue: str) -> list[str]:
    name = f"{queue}-{uuid.uuid4().hex[:6]}@%h"
    celery = [sys.executable, "-m", "celery", "-A", "sellercenter"]
    options = ["-c", "1", "-Q", queue, "-n", name, "--without-gossip", "--without-mingle"]
    return [*celery, "worker", *options, "--loglevel", "INFO"]


def messages(mail_dir: Path) -> list[str]:
    """Every message the worker's file backend wrote, oldest file first."""
    if not mail_dir.exists():
        return []
    text = "".join(
        path.read_text() for path in sorted(mail_dir.glob("*.log"), key=lambda p: p.stat().st_mtime)
    )
    return [m for m in text.split("-" * 79) if m.strip()]


def wait_for_mail(mail_dir: Path, to: str, subject: str, timeout: float = 60.0) -> str:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for message in messages(mail_dir):
            headers = message.partition("\n\n")[0]
            subject_line = next((line for line in headers.splitlines() if line.startswith("Subject: ")), "")
            if f"To: {to}" in headers and subject in subject_line:
                return message
        time.sleep(0.1)
    logs = "\n".join(p.read_text()[-3000:] for p in sorted(mail_dir.parent.glob("*.log")))
    raise AssertionError(f"No e-mail to {to} about “{subject}” within {timeout:.0f} s.\n{logs}")


def eventually(check, timeout: float = 15.0) -> bool:
    """True once check() is: a worker writes an e-mail just before it commits that it sent it."""
    deadline = time.monotonic() + timeout
    while not check():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.1)
    return True


def link_token(message: str) -> str:
    return email_link_tokens(message)[-1]


def test_the_whole_way_back_with_a_real_worker(queue, processes, tmp_path, owner_with_totp, fully_signed_in):
    owner = owner_with_totp
    mail_dir = tmp_path / "mail"
    processes("worker", worker_command(queue))
    intruder = fully_signed_in(owner, client=Client())

    # A request freezes the account at once; the session that was open is refused on its next request.
    assert (
        Client()
        .post(
            "/recover/", {"account_email": owner.email, "contact_email": CONTACT, "description": "Phished."}
        )
        .status_code
        == 302
    )
    assert intruder.get("/account/security/")["Location"].startswith("/login/")
    assert intruder.get("/api/v1/me").status_code in (401, 403)

    # The worker delivers the upload link; the person sends a document with it.
    received = wait_for_mail(mail_dir, CONTACT, "send your documents")
    uploader = Client()
    assert open_email_link(uploader, link_token(received))["Location"] == "/recover/case/"
    upload = SimpleUploadedFile("passport.pdf", files.pdf(), content_type="application/pdf")
    assert uploader.post("/recover/case/", {"kind": "identity", "file": upload}).status_code == 302

    # Support approve it in the admin; the worker takes the account back and sends the link.
    staff = fully_signed_in(make_agent("ada@support.example"), client=Client())
    case = RecoveryCase.objects.get(user=owner)
    assert case.status == CaseStatus.IN_REVIEW
    page = staff.get(f"/admin/recovery/recoverycase/{case.pk}/change/")
    assert "passport.pdf" in page.content.decode()
    approved = staff.post(
        f"/admin/recovery/recoverycase/{case.pk}/act/approve/",
        {"reason": "Passport matches.", "revision": case.revision},
    )
    assert approved.status_code == 302
    restore_mail = wait_for_mail(mail_dir, CONTACT, "set a new password")
    owner.refresh_from_db()
    assert not owner.has_usable_password() and owner.is_fully_frozen

    # New password, then the authenticator app: the account unfreezes.
    browser = Client()
    assert open_email_link(browser, link_token(restore_mail))["Location"] == "/recover/restore/"
    browser.post("/recover/restore/", {"new_password": NEW_PASSWORD, "new_password_again": NEW_PASSWORD})
    secret = re.search(r'data-secret="([A-Z2-7]+)"', browser.get("/recover/restore/").content.decode()).group(
        1
    )
    assert browser.post("/recover/restore/", {"code": pyotp.TOTP(secret).now()}).status_code == 200
    owner.refresh_from_db()
    assert not owner.is_frozen

    # And signs in as usual.
    signed_in = Client()
    signed_in.post("/login/", {"email": owner.email, "password": NEW_PASSWORD})
    assert signed_in.post("/login/verify/", {"code": totp_code(owner, steps=1)}).status_code == 302
    wait_for_mail(mail_dir, CONTACT, "Your Seller Center account is back")


def waiting_on_locks() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_stat_clear_snapshot()")
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity "
            "WHERE datname = current_database() AND wait_event_type = 'Lock'"
        )
        return cursor.fetchone()[0]


@pytest.mark.postgres
def test_a_worker_killed_during_the_approval_leaves_it_to_the_next_one(queue, processes, tmp_path, user):
    mail_dir = tmp_path / "mail"
    agent = make_agent("ada@support.example")
    case = submit_request(
        account_email=user.email, contact_email=CONTACT, description="x", context=RequestContext()
    )
    add_document(
        case, kind="identity", upload=SimpleUploadedFile("id.pdf", files.pdf()), context=RequestContext()
    )
    case.refresh_from_db()
    review.approve(case.pk, agent=agent, revision=case.revision, reason="ok", context=RequestContext())

    # Hold the case, so that the worker's approval task stops at its lock, in the middle of its work.
    release = threading.Event()
    held = threading.Event()

    def hold_the_case():
        try:
            with transaction.atomic():
                RecoveryCase.objects.select_for_update().get(pk=case.pk)
                held.set()
                release.wait(60)
        finally:
            connection.close()

    holder = threading.Thread(target=hold_the_case)
    holder.start()
    assert held.wait(10)
    first = processes("worker-1", worker_command(queue), CELERY_VISIBILITY_TIMEOUT=str(VISIBILITY_TIMEOUT))
    deadline = time.monotonic() + 60
    while waiting_on_locks() < 1 and time.monotonic() < deadline:
        time.sleep(0.1)
    assert waiting_on_locks() >= 1, "the approval task should be waiting for the case"

    kill(first)  # SIGKILL to the worker and its pool: the task is neither finished nor acknowledged
    release.set()
    holder.join()
    case.refresh_from_db()
    assert case.access_reset_at is None

    # A worker that starts finds the unacknowledged task once its visibility timeout has passed.
    time.sleep(VISIBILITY_TIMEOUT + 1)
    processes("worker-2", worker_command(queue), CELERY_VISIBILITY_TIMEOUT=str(VISIBILITY_TIMEOUT))
    wait_for_mail(mail_dir, CONTACT, "set a new password", timeout=90)
    assert eventually(
        lambda: CaseNotice.objects.filter(case=case, template="approved", sent_at__isnull=False).exists()
    )
    case.refresh_from_db()
    user.refresh_from_db()
    assert case.access_reset_at is not None and not user.has_usable_password()
    assert case.steps.filter(kind=CaseStep.Kind.ACCESS_RESET).count() == 1
    assert CaseNotice.objects.filter(case=case, template="approved", link="restore").count() == 1


def test_a_request_made_while_the_broker_is_down_loses_nothing(
    processes, tmp_path, user, private_media, broker
):
    mail_dir = tmp_path / "mail"
    redis_port, web_port = free_port(), free_port()
    down_broker = f"redis://127.0.0.1:{redis_port}/0"
    web = processes(
        "web",
        [
            sys.executable,
            "-m",
            "gunicorn",
            "sellercenter.wsgi",
            "--bind",
            f"127.0.0.1:{web_port}",
            "--workers",
            "1",
        ],
        REDIS_URL=down_broker,
        RECOVERY_REQUEST_RATE="10000/hour",
    )
    visitor = HttpClient(web_port)
    deadline = time.monotonic() + 60
    while True:
        try:
            if visitor.request("GET", "/login/").status == 200:
                break
        except OSError:
            pass
        assert web.poll() is None and time.monotonic() < deadline, "gunicorn did not start"
        time.sleep(0.2)

    # Nothing listens on the broker's port: the request still freezes the account and answers 202.
    token = visitor.api_token()
    answer = visitor.request(
        "POST",
        "/api/v1/recovery/cases",
        json_body={"account_email": user.email, "contact_email": CONTACT, "description": "Phished."},
        headers={"X-CSRFToken": token},
    )
    assert answer.status == 202, answer.body[:500]
    reference = json.loads(answer.body)["reference"]
    case = RecoveryCase.objects.get(reference=reference)
    user.refresh_from_db()
    assert case.user == user and user.is_frozen
    assert CaseNotice.objects.filter(case=case, sent_at__isnull=True).exists()

    # The broker comes back, with a worker and beat: the e-mail goes out.
    redis = [
        "redis-server",
        "--port",
        str(redis_port),
        "--bind",
        "127.0.0.1",
        "--save",
        "",
        "--appendonly",
        "no",
    ]
    processes("redis", [*redis, "--dir", str(tmp_path)])
    sweep = {"REDIS_URL": down_broker, "RECOVERY_SWEEP_SECONDS": "2"}
    processes("worker", worker_command("celery"), **sweep)
    beat = [
        sys.executable,
        "-m",
        "celery",
        "-A",
        "sellercenter",
        "beat",
        "--schedule",
        str(tmp_path / "beat"),
    ]
    processes("beat", beat, **sweep)
    received = wait_for_mail(mail_dir, CONTACT, "send your documents", timeout=90)
    assert reference in received and "/link/#" in received
    assert eventually(lambda: not CaseNotice.objects.filter(case=case, sent_at__isnull=True).exists())
