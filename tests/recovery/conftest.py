"""Named starting points for the recovery workflow's tests."""

from pathlib import Path

import pytest
from django.contrib.auth.models import Permission
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.conftest import add_totp, email_link_tokens, open_email_link
from tests.factories import UserFactory


@pytest.fixture(autouse=True)
def private_media(settings, tmp_path) -> Path:
    """Documents land in a directory of the test's own."""
    root = tmp_path / "private"
    settings.PRIVATE_MEDIA_ROOT = root
    return root


@pytest.fixture(autouse=True)
def generous_request_rate(settings):
    """Tests make many requests from one IP; the rate limit has tests of its own."""
    settings.RECOVERY_REQUEST_RATE = "10000/hour"


def stored_files(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """committed(call, ...) runs a request, then what it scheduled after commit (tasks, e-mails)."""

    def run(call, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return call(*args, **kwargs)

    return run


def mails_to(address: str) -> list:
    return [m for m in mail.outbox if address in m.to]


def last_link_token(address: str) -> str:
    """The token of the newest e-mailed link sent to this address."""
    for message in reversed(mails_to(address)):
        tokens = email_link_tokens(message.body)
        if tokens:
            return tokens[-1]
    raise AssertionError(f"No e-mail with a link went to {address}: {[m.subject for m in mail.outbox]}")


@pytest.fixture
def recover(client, committed):
    """recover(account_email, contact_email, ...) → the /recover/ request's response."""

    def post(account_email, contact_email="me.now@contact.example", *, description="I was phished.", **extra):
        form = {
            "account_email": account_email,
            "contact_email": contact_email,
            "description": description,
            **extra,
        }
        return committed(client.post, "/recover/", form)

    return post


@pytest.fixture
def upload_client(committed):
    """upload_client(contact) → a fresh browser that opened the newest upload link sent to `contact`."""
    from django.test import Client

    def open_link(contact="me.now@contact.example"):
        browser = Client()
        response = open_email_link(browser, last_link_token(contact))
        assert response.status_code == 302 and response["Location"] == "/recover/case/", response
        return browser

    return open_link


def upload(client, content: bytes, *, name="passport.pdf", kind="identity", content_type="application/pdf"):
    return client.post(
        "/recover/case/", {"kind": kind, "file": SimpleUploadedFile(name, content, content_type=content_type)}
    )


def make_agent(email: str, *, may_review: bool = True):
    """A support agent with the authenticator app; with the permission to review recovery cases."""
    agent = add_totp(UserFactory(email=email, is_staff=True, first_name=email.split("@")[0].title()))
    perms = ["view_recoverycase", "review_recoverycase"] if may_review else ["view_recoverycase"]
    agent.user_permissions.add(
        *Permission.objects.filter(content_type__app_label="recovery", codename__in=perms)
    )
    return agent


@pytest.fixture
def agent(db):
    return make_agent("ada@support.example")


@pytest.fixture
def second_agent(db):
    return make_agent("bob@support.example")
