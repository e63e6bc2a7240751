"""The default SQLite file and the e-mail folder are created private by the product itself."""

import os
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.mail import EmailMessage, get_connection

ROOT = Path(__file__).resolve().parents[2]


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture
def open_umask():
    previous = os.umask(0o022)
    yield
    os.umask(previous)


def test_e_mail_files_are_readable_by_their_owner_only(tmp_path, open_umask):
    folder = tmp_path / "mail"
    connection = get_connection("sellercenter.mail.PrivateFileEmailBackend", file_path=str(folder))
    EmailMessage("Your code", "123456", to=["a@example.com"], connection=connection).send()
    [message] = folder.iterdir()
    assert mode(folder) == 0o700
    assert mode(message) == 0o600
    assert b"123456" in message.read_bytes()


def test_an_existing_e_mail_folder_is_made_private(tmp_path, open_umask):
    folder = tmp_path / "mail"
    folder.mkdir(mode=0o755)
    get_connection("sellercenter.mail.PrivateFileEmailBackend", file_path=str(folder))
    assert mode(folder) == 0o700


def test_a_fresh_checkout_creates_its_database_and_mail_private(tmp_path):
    """A copy of the project with no var/ at all: migrate, send one e-mail, look at the modes."""
    checkout = tmp_path / "checkout"
    shutil.copytree(
        ROOT,
        checkout,
        ignore=shutil.ignore_patterns(".venv", "var", ".git", "__pycache__", "node_modules", "test-results"),
    )
    # As `make run` starts on a fresh machine: no configuration, so the development keys are made too.
    configuration = (
        "DATABASE_URL",
        "EMAIL_FILE_PATH",
        "EMAIL_BACKEND",
        "REDIS_URL",
        "DJANGO_SETTINGS_MODULE",
        "SECRET_KEY",
        "TOTP_ENCRYPTION_KEY",
        "DEBUG",
    )
    environment = {key: value for key, value in os.environ.items() if key not in configuration}
    code = (
        "import os; os.umask(0o022); import django; django.setup(); "
        "from django.core.management import call_command; call_command('migrate', verbosity=0); "
        "from django.core.mail import send_mail; send_mail('s', 'b', None, ['a@example.com'])"
    )
    subprocess.run(
        [sys.executable, "-c", code],
        cwd=checkout,
        env={**environment, "DJANGO_SETTINGS_MODULE": "sellercenter.settings"},
        check=True,
        capture_output=True,
    )
    var = checkout / "var"
    assert mode(var / "db.sqlite3") == 0o600
    for journal in var.glob("db.sqlite3-*"):
        assert mode(journal) == 0o600, journal
    assert mode(var / "mail") == 0o700
    assert {mode(message) for message in (var / "mail").iterdir()} == {0o600}
    assert mode(var / "secret_key") == 0o600 and mode(var / "totp_encryption_key") == 0o600
