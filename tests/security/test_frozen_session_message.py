"""A browser that was signed in when its account was frozen is told why it is signed out, with the
way back through a recovery."""

import pytest

from accounts.models import FreezeScope
from audit.events import RequestContext
from security.freeze import FreezeOrigin, freeze_account

pytestmark = pytest.mark.django_db


def test_an_open_session_of_a_frozen_account_lands_on_sign_in_with_the_frozen_message(
    user_with_totp, fully_signed_in
):
    browser = fully_signed_in(user_with_totp)
    freeze_account(
        user_with_totp,
        scope=FreezeScope.FULL,
        origin=FreezeOrigin.STAFF,
        reason="reported",
        context=RequestContext(),
    )

    response = browser.get("/account/security/", follow=True)

    page = response.content.decode()
    assert response.redirect_chain[-1][0].startswith("/login/")
    assert "This account is frozen while its recovery is reviewed." in page
    assert '<a href="/recover/">Start the recovery</a>' in page
    # Said once: the next page is the plain sign-in page again.
    assert "This account is frozen" not in browser.get("/login/").content.decode()
    assert browser.get("/account/security/").status_code == 302  # still signed out


def test_the_api_is_not_told_through_a_page_message(user_with_totp, fully_signed_in):
    browser = fully_signed_in(user_with_totp)
    freeze_account(
        user_with_totp,
        scope=FreezeScope.FULL,
        origin=FreezeOrigin.STAFF,
        reason="reported",
        context=RequestContext(),
    )
    assert browser.get("/api/v1/account/sessions").status_code in (401, 403, 404)
    assert "This account is frozen" in browser.get("/login/").content.decode()
