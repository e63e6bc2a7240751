"""Who may use User Management, generated from the registry: every role against every members, invitations
and settings endpoint (API and pages), 2xx where the role's grants allow the endpoint's registry
actions and 403 where they do not; another shop's member or invitation id is 404; a FRESH action
without a fresh second step is 403 "step_up_required" (SPEC §5, §6, §10)."""

import pytest
from django.urls import URLPattern
from django.utils import timezone

from accounts.models import Invitation
from permissions.registry import ACTIONS, OWNER, ROLES, USER_MANAGEMENT, SecondStep
from team import api_urls
from tests.conftest import add_totp
from tests.factories import MembershipFactory, ShopFactory, UserFactory

pytestmark = pytest.mark.django_db

# (method, path, body, registry actions it does, success status). The actions are what the
# endpoint is for; who may call it follows from the registry alone.
API_ENDPOINTS = [
    ("get", "shops/{slug}/members", None, (), 200),
    (
        "post",
        "shops/{slug}/members",
        {"email": "new@example.com", "roles": ["finance_specialist"]},
        ("users.invite",),
        201,
    ),
    ("get", "shops/{slug}/members/{member}", None, (), 200),
    ("patch", "shops/{slug}/members/{member}", {"roles": ["marketing_specialist"]}, ("users.change",), 200),
    ("patch", "shops/{slug}/members/{member}", {"status": "suspended"}, ("users.suspend",), 200),
    ("delete", "shops/{slug}/members/{member}", None, ("users.remove",), 204),
    ("post", "shops/{slug}/members/{member}/reset-two-step", {}, ("users.reset_two_step",), 200),
    ("post", "shops/{slug}/members/{member_without_2sv}/remind", None, ("users.remind",), 202),
    ("get", "shops/{slug}/invitations", None, (), 200),
    ("get", "shops/{slug}/invitations/{invitation}", None, (), 200),
    ("delete", "shops/{slug}/invitations/{invitation}", None, ("users.invite",), 204),
    ("post", "shops/{slug}/invitations/{invitation}/resend", None, ("users.invite",), 200),
    ("get", "shops/{slug}/settings", None, (), 200),
    ("patch", "shops/{slug}/settings", {"require_two_step": True}, ("users.settings",), 200),
    ("patch", "shops/{slug}/settings", {"invite_domains": ["example.com"]}, ("users.settings",), 200),
]

# (method, page, registry action it does or None for viewing, success status).
PAGES = [
    ("get", "/shop/{slug}/users/", None, 200),
    ("get", "/shop/{slug}/users/add/", "users.invite", 200),
    ("get", "/shop/{slug}/users/{member}/", "users.change", 200),
    ("get", "/shop/{slug}/users/{member}/remove/", "users.remove", 200),
    ("get", "/shop/{slug}/users/{member}/reset-two-step/", "users.reset_two_step", 200),
    ("post", "/shop/{slug}/users/{member_without_2sv}/remind/", "users.remind", 302),
    ("get", "/shop/{slug}/users/invitations/{invitation}/resend/", "users.invite", 200),
    ("get", "/shop/{slug}/users/invitations/{invitation}/revoke/", "users.invite", 200),
    ("get", "/shop/{slug}/users/settings/", "users.settings", 200),
    ("get", "/shop/{slug}/settings/two-step/", "users.settings", 200),
]


def allowed(role: str, actions) -> bool:
    grants = ROLES[role].grants
    return USER_MANAGEMENT.view_grant in grants and all(ACTIONS[key].grant in grants for key in actions)


def fresh(actions) -> bool:
    return any(ACTIONS[key].second_step == SecondStep.FRESH for key in actions)


API_CASES = [(role, *endpoint) for role in ROLES for endpoint in API_ENDPOINTS]
PAGE_CASES = [(role, *page) for role in ROLES for page in PAGES]


@pytest.fixture
def targets(shop, invite):
    """What the endpoints act on: a member with 2SV, one without, and a pending invitation."""
    member = add_totp(MembershipFactory(shop=shop, roles=["finance_specialist"]).user)
    without = MembershipFactory(shop=shop, roles=["order_fulfilment_specialist"])
    invitation, _ = invite("invited@example.com", "marketing_specialist")
    return {
        "slug": shop.slug,
        "member": member.memberships.get(shop=shop).pk,
        "member_without_2sv": without.pk,
        "invitation": invitation.pk,
    }


@pytest.fixture
def caller(shop, fully_signed_in, signed_in, member_with):
    """caller(role) → a client signed in as someone with that role in the shop (the owner with a
    fresh second step)."""

    def make(role):
        if role == OWNER:
            return fully_signed_in(add_totp(shop.owner))
        return signed_in(member_with(role))

    return make


def test_every_api_endpoint_of_the_team_is_in_the_matrix():
    routes = {p.name for p in api_urls.urlpatterns if isinstance(p, URLPattern)}
    covered = {"team-members", "team-member", "team-member-reset-two-step", "team-member-remind"}
    covered |= {"team-invitations", "team-invitation", "team-invitation-resend", "team-settings"}
    # Leaving is the member's own act, accepting needs no membership, and the list of one's own shops
    # is no shop's: tested on their own (test_shops_api.py).
    assert routes - covered == {"team-membership", "invitation-accept", "shops"}
    assert {key for *_, actions, _ in API_ENDPOINTS for key in actions} == {
        action.key for action in USER_MANAGEMENT.actions
    }


def test_the_matrix_covers_both_sides():
    outcomes = {allowed(role, actions) for role, _, _, _, actions, _ in API_CASES}
    assert outcomes == {True, False}


@pytest.mark.parametrize(("role", "method", "path", "body", "actions", "success"), API_CASES)
def test_api_endpoint_answers_by_the_roles_grants(
    role, method, path, body, actions, success, targets, caller, api
):
    response = api(caller(role))(method, path.format(**targets), body)

    if allowed(role, actions):
        assert response.status_code == success, response.content[:300]
    else:
        assert response.status_code == 403, response.content[:300]
        assert response.json()["code"] == "missing_grant"


@pytest.mark.parametrize(("role", "method", "path", "action", "success"), PAGE_CASES)
def test_page_answers_by_the_roles_grants(role, method, path, action, success, targets, caller):
    response = getattr(caller(role), method)(path.format(**targets))

    expected = success if allowed(role, [action] if action else []) else 403
    assert response.status_code == expected


@pytest.mark.parametrize(("method", "path", "body", "actions", "success"), API_ENDPOINTS)
def test_without_a_fresh_step_only_actions_that_need_none_go_through(
    method, path, body, actions, success, targets, caller, api, later
):
    client = api(caller(OWNER))
    later(11)
    response = client(method, path.format(**targets), body)

    if fresh(actions):
        assert response.status_code == 403
        assert response.json()["code"] == "step_up_required"
    else:
        assert response.status_code == success


@pytest.mark.parametrize(("method", "path", "action", "success"), PAGES)
def test_pages_of_fresh_actions_send_the_owner_to_the_step_up_first(
    method, path, action, success, targets, caller, later
):
    client = caller(OWNER)
    later(11)
    response = getattr(client, method)(path.format(**targets))

    if fresh([action] if action else []):
        assert response.status_code == 302
        assert response["Location"].startswith("/account/security/step-up/")
    else:
        assert response.status_code == success


OBJECT_ENDPOINTS = [e for e in API_ENDPOINTS if "{member" in e[1] or "{invitation}" in e[1]]
OBJECT_PAGES = [p for p in PAGES if "{member" in p[1] or "{invitation}" in p[1]]


@pytest.fixture
def other_shops_targets(other_shop):
    """Ids of a member and an invitation of another shop."""
    member = add_totp(MembershipFactory(shop=other_shop, roles=["finance_specialist"]).user)
    without = MembershipFactory(shop=other_shop, roles=["finance_specialist"])
    invitation = Invitation.objects.create(
        shop=other_shop, email="theirs@example.com", roles=["finance_specialist"], expires=timezone.now()
    )
    return {
        "member": member.memberships.get(shop=other_shop).pk,
        "member_without_2sv": without.pk,
        "invitation": invitation.pk,
    }


@pytest.mark.parametrize(("method", "path", "body", "actions", "success"), OBJECT_ENDPOINTS)
def test_another_shops_member_or_invitation_is_not_found(
    method, path, body, actions, success, shop, other_shops_targets, caller, api
):
    response = api(caller(OWNER))(method, path.format(slug=shop.slug, **other_shops_targets), body)
    assert response.status_code == 404


@pytest.mark.parametrize(("method", "path", "action", "success"), OBJECT_PAGES)
def test_another_shops_member_or_invitation_page_is_not_found(
    method, path, action, success, shop, other_shops_targets, caller
):
    response = getattr(caller(OWNER), method)(path.format(slug=shop.slug, **other_shops_targets))
    assert response.status_code == 404


@pytest.mark.parametrize(("method", "path", "body", "actions", "success"), API_ENDPOINTS)
def test_a_shop_the_caller_does_not_belong_to_is_not_found(
    method, path, body, actions, success, targets, signed_in, api
):
    stranger = ShopFactory(owner=UserFactory()).owner
    response = api(signed_in(stranger))(method, path.format(**targets), body)
    assert response.status_code == 404


@pytest.mark.parametrize(("method", "path", "body", "actions", "success"), API_ENDPOINTS)
def test_not_signed_in_is_401(method, path, body, actions, success, targets, api):
    assert api()(method, path.format(**targets), body).status_code == 401
