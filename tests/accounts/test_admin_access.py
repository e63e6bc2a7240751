"""Who gets into the support admin, and what a change there asks for first."""

import re
from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from tests.conftest import totp_code
from tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db


def test_staff_signed_in_with_an_emailed_code_are_kept_out_of_the_admin(
    client, half_signed_in, staff_user, mailoutbox, django_capture_on_commit_callbacks
):
    half_signed_in(staff_user)
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/api/v1/auth/verify/email-code")
    code = re.search(r"\b(\d{6})\b", mailoutbox[-1].body).group(1)
    assert client.post("/api/v1/auth/verify", {"method": "email", "code": code}).status_code == 200
    # Whoever holds the mailbox can reset the password too: the mailbox is no second factor here.
    response = client.get("/admin/", follow=True)
    assert response.redirect_chain[-1][0] == "/account/security/"
    # The app is on: the message says to sign in again with it, not to turn it on.
    page = response.content.decode()
    assert "needs a sign-in completed with your authenticator app or a recovery code" in page
    assert "Sign out, sign in again and enter the code from your app" in page
    assert "Turn it on" not in page


def test_a_change_in_the_admin_asks_for_a_fresh_second_step(fully_signed_in, staff_user, shop):
    member = MembershipFactory(shop=shop, roles=["main_admin"]).user
    client = fully_signed_in(staff_user)
    form = {"is_staff": "on", "memberships-TOTAL_FORMS": "1", "memberships-INITIAL_FORMS": "1"}
    change_url = f"/admin/accounts/user/{member.pk}/change/"

    with time_machine.travel(timezone.now() + timedelta(minutes=11)):
        assert client.get(change_url).status_code == 200  # reading needs no fresh step
        refused = client.post(change_url, form)
        assert refused.status_code == 302
        assert refused["Location"].startswith("/account/security/step-up/?next=")
        member.refresh_from_db()
        assert not member.is_staff

        client.post(refused["Location"], {"code": totp_code(staff_user)})
        assert client.post(change_url, form).status_code == 302
    member.refresh_from_db()
    assert member.is_staff
