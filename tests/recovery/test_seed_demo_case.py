"""seed_demo's recovery part: two support agents who may review, and one case waiting for them."""

from io import StringIO

import pytest
from django.core.management import call_command

from accounts.models import User
from recovery.models import CaseStatus, RecoveryCase
from recovery.selectors import four_eyes_reasons

pytestmark = pytest.mark.django_db


def seed() -> str:
    out = StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


def test_the_demo_has_a_case_for_two_agents_and_a_rerun_adds_nothing(committed):
    output = committed(seed)

    case = RecoveryCase.objects.get()
    assert case.status == CaseStatus.IN_REVIEW and case.documents.count() == 2
    assert case.user.email == "hacked@demo.example" and case.user.is_frozen
    assert four_eyes_reasons(case.user) == ["the owner turned on hardened recovery"]
    assert case.reference in output
    for email in ("support@demo.example", "support2@demo.example"):
        agent = User.objects.get(email=email)
        assert agent.is_staff and agent.has_perm("recovery.review_recoverycase")

    committed(seed)

    assert RecoveryCase.objects.count() == 1
    assert RecoveryCase.objects.get().documents.count() == 2


def test_a_rerun_after_the_demo_case_was_approved_and_owners_changed_address_adds_nothing(committed):
    committed(seed)
    # An approval moves the sign-in address to the contact one; the demo owner changed theirs too.
    User.objects.filter(email="hacked@demo.example").update(email="harper.new@demo.example")
    User.objects.filter(email="owner@demo.example").update(email="olivia.new@demo.example")

    committed(seed)

    assert RecoveryCase.objects.count() == 1
    assert not User.objects.filter(email="hacked@demo.example").exists()
