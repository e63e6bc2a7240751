"""factory-boy factories for people, shops and memberships."""

import factory
from django.contrib.auth import get_user_model

from accounts.models import Membership, Shop

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
