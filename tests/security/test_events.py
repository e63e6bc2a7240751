from datetime import timedelta

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from accounts.models import FreezeScope
from audit.events import RequestContext, record_event
from audit.models import EventKind, SecurityEvent
from security.freeze import FreezeOrigin, freeze_account
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

FIREFOX = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0"


def kinds_of(user):
    return list(SecurityEvent.objects.filter(user=user).values_list("kind", flat=True))


# Each event kind of this area comes from the action a person would expect to leave it.


def test_signing_in_records_login_success_with_ip_and_user_agent(client, owner, password):
    client.post("/login/", {"email": owner.email, "password": password}, HTTP_USER_AGENT=FIREFOX)
    event = SecurityEvent.objects.get(user=owner, kind=EventKind.LOGIN_SUCCESS)
    assert event.ip == "127.0.0.1"
    assert event.user_agent == FIREFOX
    assert event.details["device"].startswith("Firefox 128")


def test_a_wrong_password_records_login_failure(client, owner):
    client.post("/login/", {"email": owner.email, "password": "wrong-Password-9!"})
    assert kinds_of(owner) == [EventKind.LOGIN_FAILURE]


def test_an_attempt_refused_by_the_lockout_records_login_locked(client, owner, password):
    for _ in range(5):
        client.post("/login/", {"email": owner.email, "password": "wrong-Password-9!"})
    client.post("/login/", {"email": owner.email, "password": password})
    assert kinds_of(owner)[0] == EventKind.LOGIN_LOCKED


def test_signing_out_records_logout(signed_in, owner):
    signed_in(owner).post("/logout/")
    assert kinds_of(owner)[0] == EventKind.LOGOUT


def test_ending_other_sessions_records_session_ended(signed_in, owner, password):
    Client().post("/login/", {"email": owner.email, "password": password})
    client = signed_in(owner)
    client.post("/account/security/sessions/end-others/")
    event = SecurityEvent.objects.get(user=owner, kind=EventKind.SESSION_ENDED)
    assert event.details["count"] == 1


def test_a_sign_in_from_a_new_ip_records_the_alert(client, owner, password):
    Client(REMOTE_ADDR="198.51.100.1").post("/login/", {"email": owner.email, "password": password})
    Client(REMOTE_ADDR="198.51.100.2").post("/login/", {"email": owner.email, "password": password})
    event = SecurityEvent.objects.get(user=owner, kind=EventKind.NEW_SIGN_IN_ALERT)
    assert event.ip == "198.51.100.2"


def test_freezing_the_account_records_account_frozen(owner):
    def freeze(reason, context):
        return freeze_account(
            owner, scope=FreezeScope.FULL, origin=FreezeOrigin.OWNER, reason=reason, context=context
        )

    assert freeze("reported by the owner", RequestContext(ip="192.0.2.4"))
    event = SecurityEvent.objects.get(user=owner, kind=EventKind.ACCOUNT_FROZEN)
    assert event.details["reason"] == "reported by the owner"
    assert not freeze("again", RequestContext())


# The user's own log.


def test_the_account_security_page_shows_recent_events_and_links_the_full_log(signed_in, owner):
    page = signed_in(owner).get("/account/security/").content.decode()
    assert "Signed in" in page
    assert "/account/security/events/" in page


def test_the_log_page_shows_only_the_users_own_events_filtered_and_paged(signed_in, owner, client):
    stranger = UserFactory()
    record_event(stranger, EventKind.PASSWORD_CHANGED, context=RequestContext(ip="192.0.2.99"))
    for _ in range(30):
        record_event(owner, EventKind.TWO_STEP_FAILURE, context=RequestContext(ip="192.0.2.1"))
    client = signed_in(owner)
    first = client.get("/account/security/events/", {"kind": EventKind.TWO_STEP_FAILURE})
    body = first.content.decode()
    assert first.status_code == 200
    assert "Page 1 of 2" in body and "30 events" in body
    assert "192.0.2.99" not in body
    assert "page=2" in body and "kind=account%3Atwo_step%3Afailure" in body
    everything = client.get("/account/security/events/").content.decode()
    assert "Signed in" in everything


def test_the_log_page_answers_bad_filters_with_400_and_a_message(signed_in, owner):
    client = signed_in(owner)
    bad_date = client.get("/account/security/events/", {"date_from": "yesterday"})
    assert bad_date.status_code == 400
    assert "Enter a valid date" in bad_date.content.decode()
    reversed_range = client.get(
        "/account/security/events/", {"date_from": "2026-02-02", "date_to": "2026-02-01"}
    )
    assert reversed_range.status_code == 400
    assert client.get("/account/security/events/", {"kind": "nope"}).status_code == 400
    assert client.get("/account/security/events/", {"page": "zzz"}).status_code == 200


def test_the_api_lists_the_users_events_with_filters_and_pagination(signed_in, owner):
    client = signed_in(owner)
    with time_machine.travel(timezone.now() - timedelta(days=3)):
        record_event(owner, EventKind.PASSWORD_CHANGED, context=RequestContext(ip="192.0.2.1"))
    body = client.get("/api/v1/account/events").json()
    assert body["count"] == 2 and {"next", "previous"} <= set(body)
    assert set(body["results"][0]) == {
        "id",
        "kind",
        "ip",
        "user_agent",
        "device",
        "created",
        "details",
        "summary",
    }
    assert body["results"][0]["kind"] == EventKind.LOGIN_SUCCESS
    today = timezone.now().date().isoformat()
    recent = client.get("/api/v1/account/events", {"date_from": today}).json()
    assert [item["kind"] for item in recent["results"]] == [EventKind.LOGIN_SUCCESS]
    changed = client.get("/api/v1/account/events", {"kind": EventKind.PASSWORD_CHANGED}).json()
    assert changed["count"] == 1


def test_the_api_answers_bad_filters_with_400_and_field_errors(signed_in, owner):
    client = signed_in(owner)
    response = client.get("/api/v1/account/events", {"kind": "nope", "date_to": "31/12/2026"})
    assert response.status_code == 400
    assert response.json()["code"] == "invalid"
    assert set(response.json()["errors"]) == {"kind", "date_to"}
    assert client.get("/api/v1/account/events", {"page": "99"}).status_code == 404


def test_the_api_needs_a_signed_in_user(client):
    assert client.get("/api/v1/account/events").status_code == 401
    assert client.get("/api/v1/account/sessions").status_code == 401


# The shop's log: the owner only.


@pytest.fixture
def shop_event(shop, owner):
    return record_event(
        owner, EventKind.MEMBER_ADDED, shop=shop, context=RequestContext(ip="192.0.2.7"), email="new@x"
    )


def test_the_owner_sees_the_shops_log_on_the_page_and_in_the_api(signed_in, owner, shop, shop_event):
    client = signed_in(owner)
    page = client.get(f"/shop/{shop.slug}/security/")
    assert page.status_code == 200
    assert "Member added" in page.content.decode() and "192.0.2.7" in page.content.decode()
    body = client.get(f"/api/v1/shops/{shop.slug}/events").json()
    assert [item["id"] for item in body["results"]] == [shop_event.id]


def test_a_member_without_user_management_is_refused_the_shops_log(signed_in, member_with, shop, shop_event):
    client = signed_in(member_with("main_admin"))
    assert client.get(f"/shop/{shop.slug}/security/").status_code == 403
    response = client.get(f"/api/v1/shops/{shop.slug}/events")
    assert response.status_code == 403


def test_another_shops_log_is_not_found(signed_in, owner, other_shop):
    client = signed_in(owner)
    assert client.get(f"/shop/{other_shop.slug}/security/").status_code == 404
    assert client.get(f"/api/v1/shops/{other_shop.slug}/events").status_code == 404


# Staff read everything in the admin, and nobody can change it.


def test_staff_read_the_log_in_admin_but_cannot_add_change_or_delete(
    fully_signed_in, staff_user, owner, shop_event
):
    client = fully_signed_in(staff_user)
    listing = client.get("/admin/audit/securityevent/", {"q": owner.email})
    assert listing.status_code == 200
    assert "Member added" in listing.content.decode()
    assert client.get(f"/admin/audit/securityevent/{shop_event.pk}/change/").status_code == 200
    assert client.get("/admin/audit/securityevent/add/").status_code == 403
    assert (
        client.post(f"/admin/audit/securityevent/{shop_event.pk}/delete/", {"post": "yes"}).status_code == 403
    )
    assert SecurityEvent.objects.filter(pk=shop_event.pk).exists()
