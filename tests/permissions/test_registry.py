"""The registry is SPEC §5's table as data; these tests hold it to that table."""

import pytest

from permissions.registry import (
    ACTIONS,
    AREAS,
    ASSIGNABLE_ROLES,
    MODULES,
    OWNER,
    ROLES,
    Grant,
    SecondStep,
    grants_for,
    modules_for,
)

# SPEC §5's table, every grant written out once here on purpose: the independent copy the registry
# must match. Nothing is derived from grant names, so a new grant fails here until it is added.
SPEC_TABLE = {
    "products.view": {"owner", "main_admin", "product_management_specialist"},
    "products.manage": {"owner", "main_admin", "product_management_specialist"},
    "orders.view": {"owner", "main_admin", "customer_service_agent", "order_fulfilment_specialist"},
    "orders.manage": {"owner", "main_admin", "order_fulfilment_specialist"},
    "finance.view": {"owner", "main_admin", "finance_specialist"},
    "finance.export": {"owner", "main_admin", "finance_specialist"},
    "marketing.view": {"owner", "main_admin", "marketing_specialist"},
    "marketing.manage": {"owner", "main_admin", "marketing_specialist"},
    "affiliate.view": {"owner", "main_admin", "affiliate_manager"},
    "affiliate.manage": {"owner", "main_admin", "affiliate_manager"},
    "advertising.view": {"owner", "main_admin", "advertising_manager"},
    "advertising.manage": {"owner", "main_admin", "advertising_manager"},
    "customer_service.view": {"owner", "main_admin", "customer_service_agent"},
    "customer_service.reply": {"owner", "main_admin", "customer_service_agent"},
    "users.manage": {"owner"},
    "store.sensitive": {"owner"},
}


def test_there_are_eight_assignable_roles_plus_the_owner():
    assert len(ASSIGNABLE_ROLES) == 8
    assert OWNER in ROLES and OWNER not in ASSIGNABLE_ROLES


def test_the_registry_and_the_spec_table_name_the_same_grants():
    assert {grant.value for grant in Grant} == set(SPEC_TABLE)


@pytest.mark.parametrize("grant", list(Grant), ids=str)
def test_each_grant_belongs_to_exactly_the_roles_of_the_spec_table(grant):
    holders = {name for name, role in ROLES.items() if grant in role.grants}
    assert holders == SPEC_TABLE[grant.value]


# SPEC §6 and §6a: which actions ask for more than the grant.
SENSITIVE_ACTIONS = {
    "finance.payout_account.change": SecondStep.BOUND,
    "finance.withdraw": SecondStep.BOUND,
    "users.invite": SecondStep.FRESH,
    "users.change": SecondStep.FRESH,
    "users.suspend": SecondStep.FRESH,
    "users.remove": SecondStep.FRESH,
    "users.reset_two_step": SecondStep.FRESH,
    "users.settings": SecondStep.FRESH,
}


@pytest.mark.parametrize("key", sorted(ACTIONS))
def test_each_action_asks_for_the_second_step_the_spec_requires(key):
    assert ACTIONS[key].second_step == SENSITIVE_ACTIONS.get(key, SecondStep.NONE)


def test_money_and_member_actions_need_the_owners_grants():
    for key in SENSITIVE_ACTIONS:
        assert ACTIONS[key].grant in {Grant.STORE_SENSITIVE, Grant.USERS_MANAGE}, key
        assert ROLES["main_admin"].grants.isdisjoint({ACTIONS[key].grant})


def test_every_action_sits_in_an_area_its_holders_can_open():
    for area in AREAS:
        for action in area.actions:
            holders = {name for name, role in ROLES.items() if action.grant in role.grants}
            openers = {name for name, role in ROLES.items() if area.view_grant in role.grants}
            assert holders <= openers, action.key


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
    assert ROLES["finance_specialist"].summary == "Finance"


def test_the_roles_that_open_a_grant_come_from_the_roles_themselves():
    from permissions.registry import roles_granting, what_grant_opens

    assert [role.name for role in roles_granting(Grant.FINANCE_VIEW)] == ["main_admin", "finance_specialist"]
    assert roles_granting(Grant.USERS_MANAGE) == [], "only the owner, who is not an assignable role"
    for grant in Grant:
        assert all(grant in role.grants for role in roles_granting(grant))
    assert what_grant_opens(Grant.FINANCE_VIEW) == "Finance"
    assert what_grant_opens(Grant.USERS_MANAGE) == "User Management"
    assert what_grant_opens(Grant.FINANCE_EXPORT) == "Export bills as CSV"
