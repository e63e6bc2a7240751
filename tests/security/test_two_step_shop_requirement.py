"""An owner can require two-step verification for every member of the shop (SPEC §5, §6)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_otp.plugins.otp_totp.models import TOTPDevice

from audit.models import EventKind, SecurityEvent

pytestmark = pytest.mark.django_db


def test_a_member_without_two_step_is_sent_to_enrolment_before_any_shop_page(
    signed_in, member_with, shop_requiring_2sv
):
    client = signed_in(member_with("main_admin"))
    for path in (f"/shop/{shop_requiring_2sv.slug}/", f"/shop/{shop_requiring_2sv.slug}/products/"):
        response = client.get(path)
        assert response.status_code == 302, path
        assert response["Location"] == "/account/security/2sv/totp/", path
    page = client.get("/account/security/2sv/totp/")
    assert "requires two-step verification for all members" in page.content.decode()


def test_the_shop_api_answers_403_with_a_clear_code(signed_in, member_with, shop_requiring_2sv):
    client = signed_in(member_with("main_admin"))
    response = client.get(f"/api/v1/shops/{shop_requiring_2sv.slug}/events")
    assert response.status_code == 403
    assert response.json()["code"] == "two_step_enrolment_required"


def test_a_member_with_two_step_reaches_the_shop(fully_signed_in, member_with, shop_requiring_2sv):
    member = member_with("main_admin")
    TOTPDevice.objects.create(user=member, name="app", confirmed=True)
    client = fully_signed_in(member)
    assert client.get(f"/shop/{shop_requiring_2sv.slug}/").status_code == 200


def test_shops_that_do_not_require_it_pay_no_extra_query(signed_in, member_with, shop):
    client = signed_in(member_with("main_admin"))
    # A module page: the dashboard's security check-up reads the member's own second step on purpose.
    client.get(f"/shop/{shop.slug}/orders/")
    with CaptureQueriesContext(connection) as queries:
        assert client.get(f"/shop/{shop.slug}/orders/").status_code == 200
    assert not any("otp_totp" in q["sql"] for q in queries.captured_queries)


def test_the_owner_requires_it_after_a_fresh_step_and_the_change_is_recorded(
    fully_signed_in, owner_with_totp, shop
):
    client = fully_signed_in(owner_with_totp)
    page = client.get(f"/shop/{shop.slug}/settings/two-step/")
    assert "Require two-step verification" in page.content.decode()
    response = client.post(f"/shop/{shop.slug}/settings/two-step/", {"require": "on"})
    assert response.status_code == 302
    shop.refresh_from_db()
    assert shop.require_two_step
    assert SecurityEvent.objects.get(kind=EventKind.SHOP_TWO_STEP_REQUIRED).shop == shop

    client.post(f"/shop/{shop.slug}/settings/two-step/", {})
    shop.refresh_from_db()
    assert not shop.require_two_step
    assert SecurityEvent.objects.filter(kind=EventKind.SHOP_TWO_STEP_OPTIONAL, shop=shop).count() == 1


def test_only_a_member_who_manages_users_can_change_it(fully_signed_in, member_with, shop):
    member = member_with("main_admin")
    TOTPDevice.objects.create(user=member, name="app", confirmed=True)
    client = fully_signed_in(member)
    assert client.post(f"/shop/{shop.slug}/settings/two-step/", {"require": "on"}).status_code == 403
    shop.refresh_from_db()
    assert not shop.require_two_step


def test_an_owner_without_two_step_must_enrol_before_requiring_it(signed_in, owner, shop):
    client = signed_in(owner)
    response = client.post(f"/shop/{shop.slug}/settings/two-step/", {"require": "on"})
    assert response["Location"].startswith("/account/security/step-up/")
    assert "Turn on two-step verification" in client.get(response["Location"]).content.decode()
    shop.refresh_from_db()
    assert not shop.require_two_step


def test_two_step_cannot_be_turned_off_while_a_shop_requires_it(
    fully_signed_in, owner_with_totp, shop_requiring_2sv
):
    client = fully_signed_in(owner_with_totp)
    response = client.delete("/api/v1/account/2sv/totp")
    assert response.status_code == 409
    assert response.json()["code"] == "two_step_required_by_shop"
    assert "Demo Shop requires" in response.json()["detail"]
