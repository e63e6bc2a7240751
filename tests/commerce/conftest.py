"""Starting points for the money path: an owner with the authenticator app, a balance, an account."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from audit.events import RequestContext
from security.models import KnownOrigin
from tests.conftest import add_totp
from tests.factories import BillFactory, PayoutAccountFactory

HOME_IP = "198.51.100.7"
HOME_DEVICE = "home-browser-device-id"


@pytest.fixture
def owner_at_home(owner):
    """The owner, with the app and recovery codes, whose browser and network are a year old on the
    account: changes made from there get the 72-hour hold."""
    from security.account_history import _device_hash, network_of

    add_totp(owner)
    year_ago = timezone.now() - timedelta(days=365)
    for kind, key in (
        (KnownOrigin.Kind.DEVICE, _device_hash(HOME_DEVICE)),
        (KnownOrigin.Kind.NETWORK, network_of(HOME_IP)),
    ):
        KnownOrigin.objects.create(user=owner, kind=kind, key=key, first_seen=year_ago, last_seen=year_ago)
    return owner


@pytest.fixture
def home():
    """The RequestContext of the owner's usual browser at home."""
    return RequestContext(ip=HOME_IP, user_agent="Firefox", device_id=HOME_DEVICE)


@pytest.fixture
def funded_shop(shop):
    """The shop with USD 1,930.00 available (two settled bills) and an old, active payout account."""
    BillFactory(shop=shop, amount=Decimal("1000.00"), fees=Decimal("35.00"))
    BillFactory(shop=shop, amount=Decimal("1000.00"), fees=Decimal("35.00"))
    BillFactory(shop=shop, amount=Decimal("500.00"), fees=Decimal("10.00"), status="open")
    PayoutAccountFactory(
        shop=shop, bank_name="Old Bank", account_number="GB00OLDB11112222", routing_code="OLDBGB22"
    )
    return shop
