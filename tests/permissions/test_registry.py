"""The registry is SPEC §5's table as data; these tests hold it to that table."""

import pytest

from permissions.registry import ASSIGNABLE_ROLES, MODULES, OWNER, ROLES, Grant, grants_for, modules_for

# SPEC §5, written out once here on purpose: the test is the independent copy the registry must match.
SPEC_TABLE = {
    "products": {"owner", "main_admin", "product_management_specialist"},
    "orders.view": {"owner", "main_admin", "customer_service_agent", "order_fulfilment_specialist"},
    "orders.manage": {"owner", "main_admin", "order_fulfilment_specialist"},
    "finance": {"owner", "main_admin", "finance_specialist"},
    "marketing": {"owner", "main_admin", "marketing_specialist"},
    "affiliate": {"owner", "main_admin", "affiliate_manager"},
    "advertising": {"owner", "main_admin", "advertising_manager"},
    "customer_service": {"owner", "main_admin", "customer_service_agent"},
    "users.manage": {"owner"},
    "store.sensitive": {"owner"},
}


def _spec_roles_for(grant: Grant) -> set[str]:
    return SPEC_TABLE.get(grant.value) or SPEC_TABLE[grant.value.split(".")[0]]


def test_there_are_eight_assignable_roles_plus_the_owner():
    assert len(ASSIGNABLE_ROLES) == 8
    assert OWNER in ROLES and OWNER not in ASSIGNABLE_ROLES


@pytest.mark.parametrize("grant", list(Grant), ids=str)
def test_each_grant_belongs_to_exactly_the_roles_of_the_spec_table(grant):
    holders = {name for name, role in ROLES.items() if grant in role.grants}
    assert holders == _spec_roles_for(grant)


def test_grants_are_the_union_of_the_roles():
    combined = grants_for(["finance_specialist", "marketing_specialist"])
    assert combined == ROLES["finance_specialist"].grants | ROLES["marketing_specialist"].grants
    assert Grant.USERS_MANAGE not in combined


def test_unknown_role_names_grant_nothing():
    assert grants_for(["superuser", "owner "]) == frozenset()


def test_the_owner_role_cannot_be_claimed_through_stored_roles():
    assert grants_for(["owner"]) == frozenset()
    assert grants_for([], is_owner=True) == frozenset(Grant)


def test_menu_shows_only_the_modules_the_grants_open():
    labels = [m.label for m in modules_for(ROLES["customer_service_agent"].grants)]
    assert labels == ["Orders", "Customer Service"]
    assert len(modules_for(ROLES["main_admin"].grants)) == len(MODULES)


def test_every_role_has_a_readable_summary():
    for role in ROLES.values():
        assert role.summary, role.name
    assert "User Management" in ROLES[OWNER].summary
    assert "User Management" not in ROLES["main_admin"].summary
