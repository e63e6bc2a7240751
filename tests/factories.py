"""factory-boy factories for people, shops and memberships."""

from datetime import date, timedelta
from decimal import Decimal

import factory
from django.contrib.auth import get_user_model
from django.utils import timezone

from accounts.models import Membership, Shop
from commerce import sealing

# Passes every password rule for users whose details it does not contain (SPEC §4's seed example).
STRONG_PASSWORD = "aR@1nY6#y"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"seller{n}@example.com")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    password = factory.PostGenerationMethodCall("set_password", STRONG_PASSWORD)

    @factory.post_generation
    def saved(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class ShopFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Shop
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Shop {n}")
    slug = factory.Sequence(lambda n: f"shop-{n}")
    owner = factory.SubFactory(UserFactory)

    @factory.post_generation
    def owner_membership(shop, create, extracted, **kwargs):
        if create:
            Membership.objects.get_or_create(shop=shop, user=shop.owner, defaults={"roles": []})


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    shop = factory.SubFactory(ShopFactory)
    roles = factory.LazyFunction(lambda: ["main_admin"])


# Module data (commerce): each factory makes a row of a shop's module.


class ProductFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "commerce.Product"

    shop = factory.SubFactory(ShopFactory)
    name = factory.Sequence(lambda n: f"Product {n}")
    sku = factory.Sequence(lambda n: f"SKU-{n:05d}")
    price = factory.LazyFunction(lambda: Decimal("19.90"))
    stock = 10


class OrderFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "commerce.Order"

    shop = factory.SubFactory(ShopFactory)
    number = factory.Sequence(lambda n: f"ORD-{n:06d}")
    buyer_name = factory.Faker("name")
    total = factory.LazyFunction(lambda: Decimal("42.50"))


class BillFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "commerce.Bill"

    shop = factory.SubFactory(ShopFactory)
    period = factory.Sequence(lambda n: date(2020 + n // 12, n % 12 + 1, 1))
    amount = factory.LazyFunction(lambda: Decimal("1000.00"))
    fees = factory.LazyFunction(lambda: Decimal("35.00"))
    status = "settled"


class PayoutAccountFactory(factory.django.DjangoModelFactory):
    """An active payout account set up long ago (its hold is over); `account_number` is sealed."""

    class Meta:
        model = "commerce.PayoutAccount"
        exclude = ["account_number"]

    shop = factory.SubFactory(ShopFactory)
    holder_name = factory.Faker("name")
    bank_name = "First Demo Bank"
    routing_code = "DEMOBANK01"
    account_number = factory.Sequence(lambda n: f"0012{n:08d}")
    sealed_number = factory.LazyAttribute(lambda o: sealing.seal(o.account_number))
    last4 = factory.LazyAttribute(lambda o: sealing.last_four(o.account_number))
    fingerprint = factory.LazyAttribute(lambda o: sealing.fingerprint(o.routing_code, o.account_number))
    created = factory.LazyFunction(lambda: timezone.now() - timedelta(days=60))
    activated_at = factory.SelfAttribute("created")
    hold_until = factory.LazyAttribute(lambda o: o.created + timedelta(hours=72))
    hold_reasons = factory.LazyFunction(lambda: ["change"])


class WithdrawalFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "commerce.Withdrawal"

    payout_account = factory.SubFactory(PayoutAccountFactory)
    shop = factory.SelfAttribute("payout_account.shop")
    amount = factory.LazyFunction(lambda: Decimal("100.00"))
    currency = factory.SelfAttribute("shop.currency")


class CampaignFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "commerce.Campaign"

    shop = factory.SubFactory(ShopFactory)
    name = factory.Sequence(lambda n: f"Campaign {n}")
    discount_percent = factory.LazyFunction(lambda: Decimal("10"))
    starts_on = factory.LazyFunction(lambda: date(2026, 1, 1))
    ends_on = factory.LazyFunction(lambda: date(2026, 1, 31))


class AffiliatePlanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "commerce.AffiliatePlan"

    shop = factory.SubFactory(ShopFactory)
    name = factory.Sequence(lambda n: f"Affiliate plan {n}")
    commission_percent = factory.LazyFunction(lambda: Decimal("8"))
    clicks = 400
    orders = 12
    sales = factory.LazyFunction(lambda: Decimal("480.00"))


class AdPlanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "commerce.AdPlan"

    shop = factory.SubFactory(ShopFactory)
    name = factory.Sequence(lambda n: f"Ad plan {n}")
    daily_budget = factory.LazyFunction(lambda: Decimal("25.00"))
    impressions = 1000
    clicks = 20


class ConversationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "commerce.Conversation"

    shop = factory.SubFactory(ShopFactory)
    buyer_name = factory.Faker("name")
    subject = factory.Sequence(lambda n: f"Question {n} about my order")


class MessageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "commerce.Message"

    conversation = factory.SubFactory(ConversationFactory)
    sender = "buyer"
    body = "Hello, when will my parcel arrive?"
