"""The security logs speak in words: devices as names, each event's details as a sentence, and a filter
that offers only the kinds of event the log holds (SPEC §9, §11)."""

import re

import pytest
from django.test import Client

from accounts.services import add_member
from audit.events import RequestContext, record_event
from audit.models import EventKind
from security import event_text
from security.sessions import describe_device
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

SAFARI_MAC = (
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) "
    "Version/17.1 Safari/605.1.15"
)


def test_every_kind_of_event_has_its_own_sentence():
    assert set(event_text.SENTENCES) == set(EventKind)


@pytest.mark.parametrize("kind", list(EventKind))
@pytest.mark.parametrize(
    "details", [{}, {"count": "x", "roles": 5, "method": None, "fields": "oops", "sessions_ended": "2"}]
)
def test_a_sentence_never_fails_whatever_the_details(kind, details):
    text = event_text.sentence(kind, details)
    assert isinstance(text, str)
    assert "{" not in text and "None" not in text


def test_a_kind_without_a_sentence_falls_back_to_words_not_field_names():
    text = event_text.sentence(
        "shop:future:thing", {"two_step_due": True, "roles": ["main_admin"], "note": ""}
    )
    assert text == "Two step due: yes; Roles: Main admin."
    assert event_text.sentence("shop:future:thing", {}) == ""


def test_the_personal_log_shows_sentences_and_device_names_not_raw_details(user, password):
    browser = Client(HTTP_USER_AGENT=SAFARI_MAC)
    browser.post("/login/", {"email": user.email, "password": password})
    browser.post("/account/information/anti-phishing/", {"phrase": "blue heron"})
    page = browser.get("/account/security/events/").content.decode()
    assert "Signed in with the password (two-step verification was off)." in page
    assert "Phrase set." in page
    assert describe_device(SAFARI_MAC) in page
    assert SAFARI_MAC not in page
    assert "set: True" not in page and "method: password" not in page


def test_the_shop_log_says_who_added_whom_with_which_roles(signed_in, owner, shop):
    newcomer = UserFactory(email="new.member@example.com")
    add_member(shop=shop, user=newcomer, roles=["main_admin", "finance_specialist"], by=owner)
    page = signed_in(owner).get(f"/shop/{shop.slug}/security/").content.decode()
    assert f"Added by {owner.email} with roles Main admin, Finance specialist." in page
    assert "roles: [" not in page


def test_the_account_security_page_shows_recent_events_in_words(signed_in, user):
    record_event(user, EventKind.RECOVERY_CODE_USED, context=RequestContext(ip="192.0.2.1"), codes_left=3)
    page = signed_in(user).get("/account/security/").content.decode()
    assert "A recovery code was used; 3 codes left." in page


def test_the_personal_logs_filter_offers_only_the_kinds_it_holds(signed_in, user):
    client = signed_in(user)
    record_event(user, EventKind.PASSWORD_CHANGED, context=RequestContext())
    page = client.get("/account/security/events/").content.decode()
    select = page.split('name="kind"', 1)[1].split("</select>", 1)[0]
    offered = re.findall(r'<option value="([^"]*)"', select)
    assert set(offered) == {"", EventKind.LOGIN_SUCCESS, EventKind.PASSWORD_CHANGED}
    assert EventKind.MEMBER_REMOVED not in select and EventKind.SHOP_CREATED not in select


def test_a_saved_filter_for_a_kind_the_log_does_not_hold_matches_nothing_without_an_error(signed_in, user):
    response = signed_in(user).get("/account/security/events/", {"kind": EventKind.ACCOUNT_FROZEN})
    assert response.status_code == 200
    assert "No events match." in response.content.decode()


def test_the_api_gives_each_event_its_sentence_and_device(user, password):
    browser = Client(HTTP_USER_AGENT=SAFARI_MAC)
    browser.post("/login/", {"email": user.email, "password": password})
    [event] = browser.get("/api/v1/account/events").json()["results"]
    assert event["summary"] == "Signed in with the password (two-step verification was off)."
    assert event["device"] == describe_device(SAFARI_MAC)
    assert event["user_agent"] == SAFARI_MAC
