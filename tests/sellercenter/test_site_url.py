"""E-mailed links point where `make run` serves: SITE_URL follows HOST and PORT unless it is set."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def site_url(**env) -> str:
    environment = {k: v for k, v in os.environ.items() if k not in ("SITE_URL", "HOST", "PORT")}
    environment.update(env, DJANGO_SETTINGS_MODULE="sellercenter.settings")
    code = "from django.conf import settings; print(settings.SITE_URL)"
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=environment, capture_output=True, text=True, check=True
    )
    return done.stdout.strip()


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({}, "http://127.0.0.1:8000"),
        ({"PORT": "18123"}, "http://127.0.0.1:18123"),
        ({"HOST": "localhost", "PORT": "9000"}, "http://localhost:9000"),
        ({"HOST": "0.0.0.0", "PORT": "8080"}, "http://127.0.0.1:8080"),
        ({"HOST": "::1"}, "http://[::1]:8000"),
        ({"PORT": "18123", "SITE_URL": "https://seller.example.com/"}, "https://seller.example.com"),
    ],
)
def test_site_url_follows_host_and_port_unless_set(env, expected):
    assert site_url(**env) == expected


def test_make_run_and_serve_pass_host_and_port_to_the_server():
    for target in ("run", "serve"):
        plan = subprocess.run(
            ["make", "-n", target, "PORT=18123"], cwd=ROOT, capture_output=True, text=True, check=True
        ).stdout
        [server] = [line for line in plan.splitlines() if "runserver" in line or "gunicorn" in line]
        assert "PORT='18123'" in server and "HOST='127.0.0.1'" in server
