"""A full freeze blocks every device; an unproven one (a recovery request) spares established ones."""

from datetime import timedelta

import pytest
import time_machine
from django.db import transaction
from django.test import Client
from django.utils import timezone

from accounts.models import FreezeScope
from audit.events import RequestContext
from audit.models import EventKind, SecurityEvent
from security.freeze import FreezeOrigin, account_frozen, freeze_account, unfreeze_account

pytestmark = pytest.mark.django_db


def freeze(user, scope, origin=FreezeOrigin.RECOVERY_REQUEST):
    return freeze_account(user, scope=scope, origin=origin, reason="test", context=RequestContext())


def browser_signed_in(user, password, settings, *, days_ago=0):
    """A browser that completed a sign-in on the account `days_ago` days ago; returns its client."""
    client = Client()
    with time_machine.travel(timezone.now() - timedelta(days=days_ago)):
        assert client.post("/login/", {"email": user.email, "password": password}).status_code == 302
        client.post("/logout/")
    return client


def test_an_unproven_freeze_lets_an_established_device_sign_in_and_nobody_else(user, password, settings):
    old_laptop = browser_signed_in(user, password, settings, days_ago=30)
    recent_phone = browser_signed_in(user, password, settings, days_ago=2)

    assert freeze(user, FreezeScope.UNPROVEN)

    assert old_laptop.post("/login/", {"email": user.email, "password": password}).status_code == 302
    assert old_laptop.get("/shops/").status_code == 200
    refused = recent_phone.post("/login/", {"email": user.email, "password": password})
    assert refused.status_code == 403
    assert "frozen" in refused.content.decode()
    assert Client().post("/login/", {"email": user.email, "password": password}).status_code == 403


def test_a_full_freeze_blocks_even_the_established_device_and_ends_its_session(user, password, settings):
    old_laptop = browser_signed_in(user, password, settings, days_ago=30)
    assert old_laptop.post("/login/", {"email": user.email, "password": password}).status_code == 302

    assert freeze(user, FreezeScope.FULL, FreezeOrigin.ALERT_LINK)

    assert old_laptop.get("/shops/").status_code == 302
    assert old_laptop.post("/login/", {"email": user.email, "password": password}).status_code == 403


def test_an_unproven_freeze_widens_to_full_but_never_narrows(user):
    assert freeze(user, FreezeScope.UNPROVEN)
    assert not freeze(user, FreezeScope.UNPROVEN)
    assert freeze(user, FreezeScope.FULL)
    assert not freeze(user, FreezeScope.UNPROVEN)
    user.refresh_from_db()
    assert user.freeze_scope == FreezeScope.FULL
    assert SecurityEvent.objects.filter(user=user, kind=EventKind.ACCOUNT_FROZEN).count() == 2


def test_the_apps_above_hear_of_a_freeze_inside_its_transaction(user):
    heard = []

    def receiver(sender, user, scope, origin, **kwargs):
        heard.append((user.pk, scope, origin))
        raise RuntimeError("a receiver that fails undoes the freeze")

    account_frozen.connect(receiver)
    try:
        with pytest.raises(RuntimeError), transaction.atomic():
            freeze(user, FreezeScope.FULL, FreezeOrigin.STAFF)
    finally:
        account_frozen.disconnect(receiver)
    assert heard == [(user.pk, FreezeScope.FULL, FreezeOrigin.STAFF)]
    user.refresh_from_db()
    assert not user.is_frozen


def test_unfreezing_lifts_every_refusal_and_is_logged(user, password):
    freeze(user, FreezeScope.FULL)
    assert unfreeze_account(user, reason="false alarm", by=None, context=RequestContext())
    assert not unfreeze_account(user, reason="again", by=None, context=RequestContext())
    assert Client().post("/login/", {"email": user.email, "password": password}).status_code == 302
    assert SecurityEvent.objects.filter(user=user, kind=EventKind.ACCOUNT_UNFROZEN).count() == 1
