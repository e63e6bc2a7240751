"""The one mechanism for e-mailed links: fragment tokens, traded for the session, spent under a lock."""

from datetime import timedelta

import pytest
import time_machine
from django.db import transaction
from django.test import Client
from django.utils import timezone

from notifications import links
from notifications.models import EmailLink
from tests.conftest import open_email_link

pytestmark = pytest.mark.django_db


def issue(**options):
    defaults = {"landing": "security:freeze", "lifetime": timedelta(hours=1), "subject": "user:1"}
    return links.issue("freeze", **{**defaults, **options})


def test_the_url_carries_the_token_only_after_the_hash():
    issued = issue()
    assert issued.url.endswith(f"/link/#{issued.token}")
    assert issued.token not in issued.url.split("#")[0]


def test_only_a_keyed_hash_of_the_token_is_stored():
    issued = issue()
    stored = EmailLink.objects.values_list("token_hash", flat=True).get()
    assert issued.token not in stored
    assert links.find(issued.token) == issued.link


def test_opening_trades_the_token_for_the_session_and_redirects_to_a_token_free_page():
    issued = issue()
    browser = Client()
    response = open_email_link(browser, issued.token)
    assert response.status_code == 302
    assert response["Location"] == "/account/freeze/"
    assert issued.token not in str(dict(browser.session))


def test_the_link_page_without_a_token_explains_what_to_do(client):
    page = client.get("/link/").content.decode()
    assert 'name="token"' in page
    assert "paste the part of the link" in page


@pytest.mark.parametrize(
    ("change", "status", "words"),
    [
        ({"revoked_at": timezone.now()}, 410, "newer e-mail"),
        ({"uses": 1}, 410, "already used"),
        ({"expires": timezone.now() - timedelta(seconds=1)}, 410, "expired"),
    ],
)
def test_a_dead_link_is_refused_with_its_reason(change, status, words):
    issued = issue()
    EmailLink.objects.filter(pk=issued.link.pk).update(**change)
    response = open_email_link(Client(), issued.token)
    assert response.status_code == status
    assert words in response.content.decode()


def test_a_new_link_for_the_same_purpose_and_subject_replaces_the_old_one():
    old, new = issue(), issue()
    with pytest.raises(links.LinkInvalid) as refused:
        links.find(old.token)
    assert refused.value.status == 410
    assert links.find(new.token) == new.link


def test_the_link_expires_when_its_lifetime_ends():
    issued = issue(lifetime=timedelta(minutes=5))
    with time_machine.travel(timezone.now() + timedelta(minutes=6)), pytest.raises(links.LinkInvalid):
        links.find(issued.token)


def test_a_link_is_spent_only_when_its_action_commits():
    issued = issue(uses=2)

    with pytest.raises(RuntimeError), transaction.atomic():
        links.spend(issued.link)
        raise RuntimeError("the action failed")
    assert EmailLink.objects.get().uses == 0

    with transaction.atomic():
        links.spend(issued.link)
    with transaction.atomic():
        links.spend(issued.link)
    with pytest.raises(links.LinkInvalid), transaction.atomic():
        links.spend(issued.link)
    assert EmailLink.objects.get().uses == 2


@pytest.mark.django_db(transaction=True)
def test_spending_outside_the_actions_transaction_is_a_programming_error():
    with pytest.raises(RuntimeError):
        links.spend(issue().link)


def test_a_link_of_one_purpose_opens_nothing_of_another():
    issued = issue()
    with pytest.raises(links.LinkInvalid):
        links.find(issued.token, purpose="password_reset")
