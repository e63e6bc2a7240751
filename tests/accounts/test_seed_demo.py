"""`manage.py seed_demo`: the demo shop as SPEC §3 describes it, idempotent, with valid passwords."""

import re
from io import StringIO

import pytest
from django.contrib.auth import authenticate
from django.core.management import CommandError, call_command
from django.utils import timezone

from accounts.models import Invitation, InvitationStatus, Membership, Shop, User
from commerce import models as commerce
from permissions.registry import ASSIGNABLE_ROLES, MODULES

pytestmark = pytest.mark.django_db

EVERYONE = [
    "owner@demo.example",
    *[f"{role}@demo.example" for role in ASSIGNABLE_ROLES],
    "other@demo.example",
    "support@demo.example",
    "support2@demo.example",
]
MODULE_MODELS = [
    commerce.Product,
    commerce.Order,
    commerce.Bill,
    commerce.PayoutAccount,
    commerce.Campaign,
    commerce.AffiliatePlan,
    commerce.AdPlan,
    commerce.Conversation,
]


def seed(*args) -> str:
    out = StringIO()
    call_command("seed_demo", *args, stdout=out)
    return out.getvalue()


def printed_passwords(output: str) -> dict[str, str]:
    return dict(re.findall(r"^.*?(\S+@demo\.example)\s+(\S+)\s*$", output, flags=re.MULTILINE))


def snapshot():
    counts = {
        model.__name__: model.objects.count()
        for model in [*MODULE_MODELS, commerce.Message, commerce.Withdrawal, commerce.CreatorContact]
    }
    counts["memberships"] = sorted(
        Membership.objects.values_list("shop__slug", "user__email", "roles", "status")
    )
    counts["passwords"] = dict(User.objects.values_list("email", "password"))
    return counts


def test_seed_creates_both_shops_a_member_per_role_and_a_support_user():
    seed()

    demo = Shop.objects.get(slug="demo-shop")
    other = Shop.objects.get(slug="other-shop")
    assert demo.owner.email == "owner@demo.example"
    assert other.owner.email == "other@demo.example"
    for role in ASSIGNABLE_ROLES:
        membership = Membership.objects.get(shop=demo, user__email=f"{role}@demo.example")
        assert membership.roles == [role]
        assert membership.is_active
    support = User.objects.get(email="support@demo.example")
    assert support.is_staff and not support.is_superuser
    assert support.groups.filter(name="Support").exists()
    assert support.has_perm("accounts.view_membership") and support.has_perm("commerce.view_order")
    assert not support.has_perm("accounts.delete_shop")


@pytest.mark.parametrize("model", MODULE_MODELS, ids=lambda m: m.__name__)
def test_seed_gives_every_module_data_in_both_shops(model):
    seed()

    for slug in ("demo-shop", "other-shop"):
        assert model.objects.filter(shop__slug=slug).exists()
    assert commerce.Message.objects.filter(conversation__shop__slug="demo-shop").exists()


def test_seed_gives_the_demo_shop_money_to_try_the_payout_path():
    from commerce.selectors import available_balance, payout_account_history

    seed()
    demo = Shop.objects.get(slug="demo-shop")

    assert available_balance(demo) > 0
    history = list(payout_account_history(demo))
    assert [account.get_status_display() for account in history] == ["Active", "Replaced"]
    assert sorted(commerce.Withdrawal.objects.filter(shop=demo).values_list("status", flat=True)) == [
        "cancelled",
        "paid",
    ]
    assert Shop.objects.get(slug="other-shop").currency == "EUR"


def test_printed_random_passwords_sign_the_demo_users_in():
    output = seed()

    passwords = printed_passwords(output)
    assert sorted(passwords) == sorted(EVERYONE)
    assert len(set(passwords.values())) == len(EVERYONE)
    for email, password in passwords.items():
        assert len(password) >= 16
        assert authenticate(email=email, password=password) is not None, email


def test_running_it_twice_changes_nothing_and_prints_no_new_passwords():
    first = seed()
    before = snapshot()

    second = seed()

    assert snapshot() == before
    assert set(printed_passwords(second).values()) == {"(unchanged)"}
    assert "keep their password" in second
    for password in printed_passwords(first).values():
        assert password not in second


def test_a_given_password_is_set_for_everyone_and_rerunning_with_it_changes_nothing(password):
    seed("--password", password)
    before = snapshot()

    output = seed("--password", password)

    assert snapshot() == before
    assert password not in output
    for email in EVERYONE:
        assert authenticate(email=email, password=password) is not None, email


def test_a_weak_password_is_refused_with_the_rules_it_breaks_and_nothing_is_created():
    with pytest.raises(CommandError) as refused:
        seed("--password", "password1")

    message = str(refused.value)
    assert "breaks the password rules" in message
    assert "symbol" in message
    assert not User.objects.exists()
    assert not Shop.objects.exists()


def test_a_password_made_of_the_shops_name_is_refused():
    with pytest.raises(CommandError) as refused:
        seed("--password", "DemoShop!2026")

    assert "breaks the password rules" in str(refused.value)


def test_a_later_role_change_survives_a_rerun():
    seed()
    membership = Membership.objects.get(shop__slug="demo-shop", user__email="main_admin@demo.example")
    membership.roles = ["finance_specialist"]
    membership.save()

    seed()

    membership.refresh_from_db()
    assert membership.roles == ["finance_specialist"]


def test_demo_member_signs_in_and_opens_only_their_modules(client, password):
    seed("--password", password)

    response = client.post("/login/", {"email": "finance_specialist@demo.example", "password": password})
    assert response.status_code == 302
    for module in MODULES:
        expected = 200 if module.slug == "finance" else 403
        assert client.get(f"/shop/demo-shop/{module.slug}/").status_code == expected
    assert client.get("/shop/other-shop/finance/").status_code == 404


def test_the_main_admin_is_in_both_demo_shops_with_other_roles_there(client, password):
    seed("--password", password)
    seed()
    person = User.objects.get(email="main_admin@demo.example")
    roles = {m.shop.slug: m.roles for m in person.memberships.select_related("shop")}
    assert roles == {"demo-shop": ["main_admin"], "other-shop": ["customer_service_agent"]}
    client.post("/login/", {"email": person.email, "password": password})
    page = client.get("/shop/demo-shop/").content.decode()
    assert 'class="menu shop-switcher"' in page and "Other Shop" in page
    refused = client.get("/shop/other-shop/finance/")
    assert refused.status_code == 403 and "Finance specialist" in refused.content.decode()


def test_demo_shop_has_one_pending_invitation_whose_email_holds_the_link(
    mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        output = seed()
    with django_capture_on_commit_callbacks(execute=True):
        seed()

    invitation = Invitation.objects.get()
    assert (invitation.shop.slug, invitation.email, invitation.status) == (
        "demo-shop",
        "new.hire@demo.example",
        InvitationStatus.PENDING,
    )
    assert invitation.invited_by.email == "owner@demo.example"
    (message,) = [m for m in mailoutbox if m.to == ["new.hire@demo.example"]]
    assert "/link/#" in message.body
    assert "new.hire@demo.example is invited to demo-shop" in output


def test_support_may_look_up_invitations_and_suspend_a_member_in_an_emergency():
    seed()
    support = User.objects.get(email="support@demo.example")
    assert support.has_perm("accounts.view_invitation")
    assert support.has_perm("accounts.suspend_membership")
    assert not support.has_perm("accounts.change_membership")


def test_the_demo_data_agrees_with_itself():
    seed()
    Order, Campaign = commerce.Order, commerce.Campaign
    refunded = Order.objects.filter(status="refunded")
    assert refunded.exists()
    for order in refunded:
        assert order.refunded_total == order.total and order.refundable == 0
        assert order.refunds.get().amount == order.total
    for order in Order.objects.filter(status__in=["shipped", "delivered", "refunded"]):
        assert order.carrier and order.tracking_number and order.shipped_at
    today = timezone.localdate()
    assert not Campaign.objects.filter(status="active", ends_on__lt=today).exists()
    assert not Campaign.objects.filter(status="scheduled", starts_on__lte=today).exists()
