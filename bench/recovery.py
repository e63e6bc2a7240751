"""Recovery's figures for `make bench`.

- Approval to the set-password e-mail through a real Celery worker over Redis (p50 under 2 s), beside
  a bare task's round trip measured in the same run. It runs in a child process with a real broker
  (bench/settings_worker.py), which starts the worker; without REDIS_URL it is skipped with a line
  that says so.
- The support queue in the admin with 10,000 cases: its SQL queries per page, against 10 cases.
"""

import json
import os
import statistics
import subprocess
import sys
import time
import uuid
from pathlib import Path

from bench.data import BENCH_DIR, PASSWORD

ROOT = Path(__file__).resolve().parent.parent
APPROVAL_TARGET = 2.0  # seconds, p50
APPROVALS = 20


Row = tuple[str, str, str, str, str, str]  # figure, ours, baseline, ratio, target, verdict (bench.run.Row)


def _row(*fields: str) -> Row:
    return fields


def _document(case):
    """A document row, as an upload leaves one (its file is not needed to count or approve)."""
    from recovery.models import CaseDocument

    return CaseDocument(
        case=case,
        round=1,
        kind="identity",
        name="id.pdf",
        content_type="application/pdf",
        size=1,
        sha256="0" * 64,
    )


# Approval through a real worker ------------------------------------------------------------------


def figure_recovery_approval(servers) -> list[Row]:
    """Approving a case (as an agent in the admin does) until the worker has written the e-mail with
    the set-password link, p50 over APPROVALS cases; the bare task's round trip is its floor."""
    figure = "recovery: approval -> set-password e-mail (real worker)"
    if not os.environ.get("REDIS_URL"):
        return [
            _row(
                figure, "skipped: REDIS_URL is not set (needs Redis and a worker)", "", "", "p50 < 2 s", "n/a"
            )
        ]
    count = 6 if servers.quick else APPROVALS
    mail_dir = BENCH_DIR / f"mail-{uuid.uuid4().hex[:8]}"
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "bench.settings_worker", "BENCH_MAIL_DIR": str(mail_dir)}
    done = subprocess.run(  # noqa: S603 (a fixed command: this module, run as a script)
        [sys.executable, "-m", "bench.recovery", str(count)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    if done.returncode != 0:
        print(done.stdout[-2000:], done.stderr[-4000:], file=sys.stderr)
        return [_row(figure, "failed (see above)", "", "", "p50 < 2 s", "MISS")]
    result = json.loads(done.stdout.strip().splitlines()[-1])
    bare, approval = result["bare_p50"], result["approval_p50"]
    errors = result["errors"]
    return [
        _row(
            "recovery: bare task round trip (same worker)",
            f"p50 {bare * 1000:.0f} ms",
            "",
            "",
            "(reference)",
            "n/a",
        ),
        _row(
            figure + (f" ({errors} missing)" if errors else ""),
            f"p50 {approval * 1000:.0f} ms",
            f"bare {bare * 1000:.0f} ms",
            f"{approval / bare:.1f}" if bare else "",
            "p50 < 2 s",
            "pass" if approval < APPROVAL_TARGET and not errors else "MISS",
        ),
    ]


def measure_approvals(count: int) -> dict:
    """In the child process: cases waiting for review, a worker, and the two measures."""
    import django

    django.setup()
    from django.contrib.auth import get_user_model

    from audit.events import RequestContext
    from recovery.models import RecoveryCase
    from recovery.services import review
    from sellercenter.celery import app

    queue = f"bench-{uuid.uuid4().hex[:8]}"
    app.conf.task_default_queue = queue
    User = get_user_model()
    agent = User.objects.create(email=f"agent-{queue}@bench.example", is_staff=True, is_superuser=True)
    cases = []
    for n in range(count):
        user = User.objects.create(email=f"recovering-{queue}-{n}@bench.example", password="!bench")
        case = RecoveryCase.objects.create(
            user=user,
            account_email=user.email,
            contact_email=f"c{n}-{queue}@bench.example",
            origin="recovery_request",
        )
        _document(case).save()
        case.receive_document()
        case.save()
        cases.append(case)
    mail_dir = Path(os.environ["BENCH_MAIL_DIR"])
    log = (BENCH_DIR / f"worker-{queue}.log").open("w")
    worker = subprocess.Popen(  # noqa: S603 (a fixed command)
        [sys.executable, "-m", "celery", "-A", "sellercenter", "worker", "-c", "2", "-Q", queue,
         "-n", f"{queue}@%h", "--without-gossip", "--without-mingle", "--loglevel", "WARNING"],
        cwd=ROOT, env=os.environ.copy(), stdout=log, stderr=subprocess.STDOUT,
    )  # fmt: skip
    try:
        bare = _bare_round_trips(app, 30)
        approvals, errors = [], 0
        for case in cases:
            started = time.perf_counter()
            review.approve(
                case.pk, agent=agent, revision=case.revision, reason="bench", context=RequestContext()
            )
            if _wait_for_mail(mail_dir, case.contact_email, timeout=30):
                approvals.append(time.perf_counter() - started)
            else:
                errors += 1
    finally:
        worker.terminate()
        worker.wait(timeout=30)
    return {
        "bare_p50": statistics.median(bare),
        "approval_p50": statistics.median(approvals) if approvals else float("inf"),
        "errors": errors,
    }


def _bare_round_trips(app, count: int) -> list[float]:
    """Send the built-in no-op task and wait for its result: the broker, the worker and back."""
    samples = []
    for n in range(count + 5):
        started = time.perf_counter()
        app.send_task("celery.accumulate", args=[n], ignore_result=False).get(timeout=30)
        if n >= 5:  # the first ones warm the connections and the pool
            samples.append(time.perf_counter() - started)
    return samples


def _wait_for_mail(mail_dir: Path, address: str, timeout: float) -> bool:
    """True once the worker's file backend wrote the set-password e-mail to this address."""
    deadline = time.perf_counter() + timeout
    while time.perf_counter() < deadline:
        for path in mail_dir.glob("*.log") if mail_dir.exists() else []:
            text = path.read_text(errors="replace")
            if f"To: {address}" in text and "set a new password" in text:
                return True
        time.sleep(0.002)
    return False


# The support queue --------------------------------------------------------------------------------


def figure_recovery_queue_queries(servers=None) -> list[Row]:
    """The admin's queue of recovery cases: SQL queries for one page with 10 cases, then with 10,000
    (page 1 and page 100 of 50 cases each). Counted in-process, after the servers stopped."""
    cases = 1_000 if servers is not None and servers.quick else 10_000
    client = _signed_in_agent()
    add_cases(10)
    small = _queue_queries(client, "")
    add_cases(cases - 10)
    last_page = min(100, cases // 50)
    first, later = _queue_queries(client, ""), _queue_queries(client, f"&p={last_page - 1}")
    return [
        _row(
            f"recovery: admin queue SQL queries, {cases:,} cases vs 10 (page 1 / page {last_page})",
            f"{first} / {later}",
            str(small),
            f"{max(first, later) / small:.2f}",
            "== 1.00",
            "pass" if first == later == small else "MISS",
        )
    ]


def add_cases(count: int) -> None:
    """`count` more cases, half of them for accounts, some with documents, in bulk."""
    from django.contrib.auth import get_user_model

    from recovery.models import CaseDocument, RecoveryCase

    User = get_user_model()
    start = RecoveryCase.objects.count()
    users = User.objects.bulk_create(
        [User(email=f"queue{start + n}@many.example", password="!bench") for n in range(0, count, 2)],
        batch_size=2000,
    )
    cases = RecoveryCase.objects.bulk_create(
        [
            RecoveryCase(
                user=users[n // 2] if n % 2 == 0 else None,
                account_email=f"queue{start + n}@many.example",
                contact_email=f"contact{start + n}@many.example",
                origin="recovery_request",
            )
            for n in range(count)
        ],
        batch_size=2000,
    )
    CaseDocument.objects.bulk_create([_document(case) for case in cases[::3]], batch_size=2000)


def _signed_in_agent():
    import pyotp
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password
    from django.test import Client as DjangoClient

    from security.two_step import devices
    from security.two_step.enrolment import pending_totp_device

    User = get_user_model()
    agent = User.objects.create(
        email="queue-agent@bench.example", password=make_password(PASSWORD), is_staff=True, is_superuser=True
    )
    device = pending_totp_device(agent)
    device.confirmed = True
    device.save()
    client = DjangoClient()
    if client.post("/login/", {"email": agent.email, "password": PASSWORD}).status_code != 302:
        raise RuntimeError("The queue's agent could not sign in")
    code = pyotp.TOTP(devices.base32_secret(device)).now()
    if client.post("/login/verify/", {"code": code}).status_code != 302:
        raise RuntimeError("The queue's agent could not pass the second step")
    return client


def _queue_queries(client, page: str) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    path = f"/admin/recovery/recoverycase/?queue=all{page}"
    client.get(path)  # the first request may write the session's last-seen time
    with CaptureQueriesContext(connection) as queries:
        answer = client.get(path)
    if answer.status_code != 200:
        raise RuntimeError(f"The recovery queue answered {answer.status_code}")
    return len(queries)


if __name__ == "__main__":
    print(json.dumps(measure_approvals(int(sys.argv[1]))))
