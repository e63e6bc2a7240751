"""The security log keeps who each event was about when the person goes, and on PostgreSQL the
database refuses UPDATE and DELETE of its rows (SPEC §9)."""

import pytest
from django.db import DatabaseError, connection, transaction

from audit.events import record_event
from audit.models import EventKind, SecurityEvent
from tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


def raw(sql, params=()):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.rowcount


def test_deleting_a_user_keeps_their_events_and_who_they_were_about(shop):
    member = MembershipFactory(shop=shop).user
    event = record_event(member, EventKind.MEMBER_ADDED, shop=shop, by="owner")
    user_id, email = member.pk, member.email
    member.delete()
    kept = SecurityEvent.objects.get(pk=event.pk)
    assert kept.user_id == user_id
    assert kept.user_email == email
    assert kept.shop_id == shop.pk
    assert list(SecurityEvent.objects.filter(shop=shop).values_list("user_email", flat=True)) == [email]


def test_the_shops_log_page_still_names_a_deleted_member(shop, signed_in):
    member = MembershipFactory(shop=shop, roles=["main_admin"]).user
    record_event(member, EventKind.MEMBER_CHANGED, shop=shop)
    email = member.email
    member.delete()
    page = signed_in(shop.owner).get(f"/shop/{shop.slug}/security/")
    assert page.status_code == 200
    assert email in page.content.decode()


def test_the_admin_shows_an_event_of_a_deleted_user(fully_signed_in, staff_user):
    gone = UserFactory()
    event = record_event(gone, EventKind.PASSWORD_CHANGED)
    gone.delete()
    page = fully_signed_in(staff_user).get(f"/admin/audit/securityevent/{event.pk}/change/")
    assert page.status_code == 200
    assert gone.email in page.content.decode()


def test_the_admin_deletes_a_user_who_has_events(fully_signed_in, staff_user):
    gone = UserFactory()
    record_event(gone, EventKind.PASSWORD_CHANGED)
    admin = fully_signed_in(staff_user)
    response = admin.post(f"/admin/accounts/user/{gone.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert not type(gone).objects.filter(pk=gone.pk).exists()
    assert SecurityEvent.objects.filter(user_email=gone.email).count() == 1


def test_the_orm_refuses_to_change_or_delete_rows(user):
    event = record_event(user, EventKind.PASSWORD_CHANGED)
    with pytest.raises(TypeError):
        SecurityEvent.objects.filter(pk=event.pk).update(kind="x")
    with pytest.raises(TypeError):
        SecurityEvent.objects.filter(pk=event.pk).delete()
    with pytest.raises(TypeError):
        event.delete()


@pytest.mark.postgres
@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE audit_securityevent SET kind = 'account:login:success' WHERE id = %s",
        "UPDATE audit_securityevent SET user_id = NULL WHERE id = %s",
        "DELETE FROM audit_securityevent WHERE id = %s",
    ],
)
def test_postgresql_refuses_raw_updates_and_deletes(user, sql):
    event = record_event(user, EventKind.PASSWORD_CHANGED)
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        raw(sql, [event.pk])
    assert SecurityEvent.objects.get(pk=event.pk).kind == EventKind.PASSWORD_CHANGED


@pytest.mark.postgres
def test_postgresql_still_takes_new_rows_and_deleting_people(user):
    record_event(user, EventKind.PASSWORD_CHANGED)
    user.delete()
    assert SecurityEvent.objects.count() == 1
