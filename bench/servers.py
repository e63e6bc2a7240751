"""gunicorn servers for the bench: two sync workers each, on a free loopback port."""

import os
import socket
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

from bench.load import Client

ROOT = Path(__file__).resolve().parent.parent
WORKERS = 2


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def gunicorn(name: str, settings_module: str, log_dir: Path, **env):
    """A running `gunicorn sellercenter.wsgi` with these settings; yields its port."""
    port = free_port()
    environment = {**os.environ, "DJANGO_SETTINGS_MODULE": settings_module, **env}
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        "sellercenter.wsgi",
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        str(WORKERS),
        "--log-level",
        "warning",
    ]
    log_path = log_dir / f"gunicorn-{name}.log"
    with log_path.open("w") as log:
        # The command is built from constants above, never from input.
        server = subprocess.Popen(  # noqa: S603
            command, cwd=ROOT, env=environment, stdout=log, stderr=subprocess.STDOUT
        )
    try:
        wait_until_serving(port, server, log_path)
        yield port
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def wait_until_serving(port: int, server: subprocess.Popen, log_path: Path, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"gunicorn stopped: see {log_path}")
        try:
            if Client(port).request("GET", "/login/").status == 200:
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"gunicorn did not answer within {timeout:.0f} s: see {log_path}")
