"""Confirmation pages of changes that can never be made say so at once, with no form to send."""

import pytest

pytestmark = pytest.mark.django_db


def test_the_owners_own_membership_cannot_be_removed_reset_or_left_and_the_pages_say_so(
    fully_signed_in, owner_with_totp, shop
):
    client = fully_signed_in(owner_with_totp)
    own = shop.memberships.get(user=owner_with_totp)
    for path, refusal in (
        (f"/shop/{shop.slug}/users/{own.pk}/remove/", "owner"),
        (f"/shop/{shop.slug}/users/{own.pk}/reset-two-step/", "Account Security"),
        (f"/shop/{shop.slug}/leave/", "You own this shop, so you cannot leave it"),
    ):
        response = client.get(path)
        body = response.content.decode()
        assert response.status_code in (403, 409), (path, response.status_code)
        assert 'role="alert"' in body and refusal in body, path
        assert 'method="post"' not in body.split('class="panel"', 1)[1], f"{path} offers a form"
