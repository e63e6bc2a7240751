import pytest

from audit.models import EventKind, SecurityEvent
from tests.conftest import totp_code

pytestmark = pytest.mark.django_db


def test_member_signs_in_and_reaches_their_shop_dashboard(client, owner, password):
    old_key = client.session.session_key
    response = client.post("/login/", {"email": owner.email.upper(), "password": password})
    assert response.status_code == 302
    assert response["Location"] == "/shops/"
    assert client.session.session_key != old_key
    page = client.get("/shop/demo-shop/")
    assert page.status_code == 200
    assert "Demo Shop" in page.content.decode()
    assert SecurityEvent.objects.filter(user=owner, kind=EventKind.LOGIN_SUCCESS).count() == 1


def test_wrong_password_and_unknown_email_get_the_same_message(client, owner):
    wrong = client.post("/login/", {"email": owner.email, "password": "nope-Nope-1!"})
    unknown = client.post("/login/", {"email": "nobody@example.com", "password": "nope-Nope-1!"})
    assert wrong.status_code == unknown.status_code == 400
    assert "do not match an account" in wrong.content.decode()
    assert "do not match an account" in unknown.content.decode()


def test_shop_of_another_tenant_is_not_found(signed_in, owner, other_shop):
    client = signed_in(owner)
    assert client.get(f"/shop/{other_shop.slug}/").status_code == 404


def test_logout_requires_post_and_ends_the_session(signed_in, owner):
    client = signed_in(owner)
    assert client.get("/logout/").status_code == 405
    assert client.post("/logout/").status_code == 302
    assert client.get("/shop/demo-shop/").status_code == 302


def test_admin_sign_in_goes_through_the_product_login(client):
    response = client.get("/admin/")
    assert response.status_code == 302
    assert client.get(response["Location"])["Location"] == "/login/?next=%2Fadmin%2F"


def test_staff_reach_the_admin_only_after_the_second_step(client, password, staff_user):
    response = client.post("/login/", {"email": staff_user.email, "password": password, "next": "/admin/"})
    assert response["Location"] == "/login/verify/?next=%2Fadmin%2F"
    assert client.get("/admin/").status_code == 302
    response = client.post(response["Location"], {"code": totp_code(staff_user)})
    assert response["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200


def test_staff_without_two_step_verification_are_sent_to_turn_it_on(signed_in):
    from tests.factories import UserFactory

    client = signed_in(UserFactory(is_staff=True, is_superuser=True))
    response = client.get("/admin/", follow=True)
    assert response.redirect_chain[-1][0] == "/account/security/"
    assert "needs two-step verification" in response.content.decode()


@pytest.mark.parametrize(
    "data",
    [
        {},
        {"email": "x"},
        {"email": "a@b.example", "password": ""},
        {"email": "a" * 300, "password": "p"},
        {"email": "a@b.example", "password": "p" * 10000},
    ],
)
def test_bad_login_form_input_is_a_clear_400(client, data):
    response = client.post("/login/", data)
    assert response.status_code == 400
    assert 'class="field-error"' in response.content.decode()


def test_login_never_redirects_to_another_site(client, owner, password):
    response = client.post(
        "/login/", {"email": owner.email, "password": password, "next": "https://evil.example/"}
    )
    assert response["Location"] == "/shops/"
