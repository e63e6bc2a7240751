"""One canonical key per address (NFKC, case-folded): lookups and counts agree on every database."""

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction

from accounts.addresses import canonical_email
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
User = get_user_model()


@pytest.mark.parametrize(
    ("address", "key"),
    [
        ("Sam@Example.COM", "sam@example.com"),
        ("\u017fam@example.com", "sam@example.com"),  # LATIN SMALL LETTER LONG S
        ("\u212aim@example.com", "kim@example.com"),  # KELVIN SIGN
        ("\uff53\uff41\uff4d@example.com", "sam@example.com"),  # fullwidth
        ("\ufb00@example.com", "ff@example.com"),  # the ligature ﬀ
        ("stra\u00dfe@example.com", "strasse@example.com"),  # ß folds to ss
        ("  sam@example.com ", "sam@example.com"),
        ("k\u0131m@example.com", "k\u0131m@example.com"),  # the dotless i is a letter of its own
    ],
)
def test_canonical_keys(address, key):
    assert canonical_email(address) == key
    assert canonical_email(key) == key


def test_every_way_of_writing_users_keeps_the_key():
    one = User.objects.create_user("One@Example.com", "x")
    assert one.email_canonical == "one@example.com"
    [two] = User.objects.bulk_create([User(email="\u017fecond@example.com")])
    assert User.objects.get(pk=two.pk).email_canonical == "second@example.com"
    User.objects.filter(pk=one.pk).update(email="uno@example.com")
    assert User.objects.get(pk=one.pk).email_canonical == "uno@example.com"
    one.refresh_from_db()
    one.email = "first@example.com"
    one.save(update_fields=["email"])
    assert User.objects.get(pk=one.pk).email_canonical == "first@example.com"


def test_a_look_alike_of_an_existing_address_cannot_be_a_second_account():
    UserFactory(email="sam@example.com")
    with pytest.raises(ValidationError) as refused:
        User(email="\u017fam@example.com").full_clean()
    assert "already exists" in str(refused.value)
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.create_user("\u017fam@example.com", "x")


def test_lookups_by_address_use_the_key_on_this_database():
    sam = UserFactory(email="sam@example.com")
    assert User.objects.get_by_natural_key("\u017fAM@example.com") == sam
    assert User.objects.by_email(" SAM@example.com").get() == sam
    assert not User.objects.by_email("s\u0131am@example.com").exists()
    # What __iexact would answer differs by database: the key does not.
    assert connection.vendor in ("sqlite", "postgresql")


def test_the_migration_keys_existing_accounts():
    from importlib import import_module

    from django.db.migrations.executor import MigrationExecutor

    apps = MigrationExecutor(connection).loader.project_state(("accounts", "0005_canonical_email")).apps
    sam = UserFactory(email="sam@example.com")
    User.objects.filter(pk=sam.pk).update(email_canonical="stale")
    import_module("accounts.migrations.0005_canonical_email").fill_canonical_emails(apps, None)
    assert User.objects.get(pk=sam.pk).email_canonical == "sam@example.com"
