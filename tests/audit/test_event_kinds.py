"""Event kinds live in code: any EventKind is stored without a migration, anything else is refused."""

import pytest

from audit.events import record_event
from audit.models import EventKind, SecurityEvent

pytestmark = pytest.mark.django_db


def test_an_unknown_kind_is_refused_and_nothing_is_written(user):
    with pytest.raises(ValueError):
        record_event(user, "account:something:invented")
    assert not SecurityEvent.objects.exists()


def test_the_kind_column_takes_every_kind_without_choices():
    assert not SecurityEvent._meta.get_field("kind").choices


@pytest.mark.parametrize("kind", list(EventKind), ids=str)
def test_every_kind_is_scope_resource_action_and_has_a_label(kind, user):
    assert kind.value.count(":") in (1, 2)  # scope:resource:action, or scope:action
    assert kind.label
    assert record_event(user, kind).get_kind_display() == kind.label
