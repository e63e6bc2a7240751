"""The one registry of modules, actions, grants and roles (SPEC §5), as plain data.

Everything that decides or shows what a member may do reads this module: the membership check, DRF
permission classes, menus, the "what this role can do" text, the live preview of an invitation, the
admin and the tests. Nothing else spells a role's powers. Roles list their grants one by one: a new
grant reaches nobody until a role names it.
"""

from dataclasses import dataclass
from enum import StrEnum

from django.utils.translation import gettext_lazy as _


class Grant(StrEnum):
    PRODUCTS_VIEW = "products.view"
    PRODUCTS_MANAGE = "products.manage"
    ORDERS_VIEW = "orders.view"
    ORDERS_MANAGE = "orders.manage"
    FINANCE_VIEW = "finance.view"
    FINANCE_EXPORT = "finance.export"
    MARKETING_VIEW = "marketing.view"
    MARKETING_MANAGE = "marketing.manage"
    AFFILIATE_VIEW = "affiliate.view"
    AFFILIATE_MANAGE = "affiliate.manage"
    ADVERTISING_VIEW = "advertising.view"
    ADVERTISING_MANAGE = "advertising.manage"
    CUSTOMER_SERVICE_VIEW = "customer_service.view"
    CUSTOMER_SERVICE_REPLY = "customer_service.reply"
    USERS_MANAGE = "users.manage"
    STORE_SENSITIVE = "store.sensitive"


class SecondStep(StrEnum):
    """What an action asks of the second step besides the grant (SPEC §6, §6a)."""

    NONE = "none"
    # The app or a recovery code within the last STEP_UP_MAX_AGE (10 minutes).
    FRESH = "fresh"
    # A code from the app or a recovery code given with the request, approving this one action.
    BOUND = "bound"


@dataclass(frozen=True)
class Action:
    """Something a member does in a shop: the grant it needs and what it asks of the second step."""

    key: str
    label: str
    grant: Grant
    second_step: SecondStep = SecondStep.NONE


@dataclass(frozen=True)
class Area:
    """A part of a shop: its URL segment, its menu label, the grant that opens it and its actions.

    Modules are the areas with seller data (SPEC §5's module column); User Management is an area of
    its own, opened by users.manage.
    """

    slug: str
    label: str
    view_grant: Grant
    description: str
    actions: tuple[Action, ...] = ()

    def actions_for(self, grants: frozenset[Grant]) -> list[Action]:
        return [action for action in self.actions if action.grant in grants]


MODULES: tuple[Area, ...] = (
    Area(
        "products",
        _("Products"),
        Grant.PRODUCTS_VIEW,
        _("Create, edit, activate and delist products."),
        (
            Action("products.create", _("Create products"), Grant.PRODUCTS_MANAGE),
            Action("products.edit", _("Edit products"), Grant.PRODUCTS_MANAGE),
            Action("products.activate", _("Activate products"), Grant.PRODUCTS_MANAGE),
            Action("products.delist", _("Delist products"), Grant.PRODUCTS_MANAGE),
        ),
    ),
    Area(
        "orders",
        _("Orders"),
        Grant.ORDERS_VIEW,
        _("Order details, arranging delivery, cancellations, returns and refunds."),
        (
            Action("orders.ship", _("Arrange delivery"), Grant.ORDERS_MANAGE),
            Action("orders.cancel", _("Cancel orders"), Grant.ORDERS_MANAGE),
            Action("orders.refund", _("Handle returns and refunds"), Grant.ORDERS_MANAGE),
        ),
    ),
    Area(
        "finance",
        _("Finance"),
        Grant.FINANCE_VIEW,
        _("Balance, bill details and CSV export; the owner's payout account and withdrawals."),
        (
            Action("finance.export", _("Export bills as CSV"), Grant.FINANCE_EXPORT),
            Action(
                "finance.payout_account.change",
                _("Change the payout account"),
                Grant.STORE_SENSITIVE,
                SecondStep.BOUND,
            ),
            Action("finance.withdraw", _("Withdraw the balance"), Grant.STORE_SENSITIVE, SecondStep.BOUND),
        ),
    ),
    Area(
        "marketing",
        _("Marketing"),
        Grant.MARKETING_VIEW,
        _("Create, change and end campaigns."),
        (
            Action("marketing.create", _("Create campaigns"), Grant.MARKETING_MANAGE),
            Action("marketing.change", _("Change campaigns"), Grant.MARKETING_MANAGE),
            Action("marketing.end", _("End campaigns"), Grant.MARKETING_MANAGE),
        ),
    ),
    Area(
        "affiliate",
        _("Affiliate"),
        Grant.AFFILIATE_VIEW,
        _("Affiliate plans, the creators you contacted and the plans' performance."),
        (
            Action("affiliate.create", _("Create affiliate plans"), Grant.AFFILIATE_MANAGE),
            Action(
                "affiliate.change", _("Change, pause, resume and end affiliate plans"), Grant.AFFILIATE_MANAGE
            ),
            Action("affiliate.contact", _("Record creators contacted"), Grant.AFFILIATE_MANAGE),
        ),
    ),
    Area(
        "advertising",
        _("Advertising"),
        Grant.ADVERTISING_VIEW,
        _("Ad plans with their budgets and results."),
        (
            Action("advertising.create", _("Create ad plans"), Grant.ADVERTISING_MANAGE),
            Action(
                "advertising.change", _("Change, pause, resume and end ad plans"), Grant.ADVERTISING_MANAGE
            ),
        ),
    ),
    Area(
        "customer-service",
        _("Customer Service"),
        Grant.CUSTOMER_SERVICE_VIEW,
        _("Buyer conversations: open one, reply, close."),
        (
            Action(
                "customer_service.open", _("Open conversations with buyers"), Grant.CUSTOMER_SERVICE_REPLY
            ),
            Action("customer_service.reply", _("Reply to buyers"), Grant.CUSTOMER_SERVICE_REPLY),
            Action(
                "customer_service.close", _("Close and reopen conversations"), Grant.CUSTOMER_SERVICE_REPLY
            ),
        ),
    ),
)
MODULES_BY_SLUG = {module.slug: module for module in MODULES}

USER_MANAGEMENT = Area(
    "users",
    _("User Management"),
    Grant.USERS_MANAGE,
    _("Add sub-accounts, assign their roles, suspend and remove them."),
    (
        Action("users.invite", _("Invite members"), Grant.USERS_MANAGE, SecondStep.FRESH),
        Action("users.change", _("Change members' roles"), Grant.USERS_MANAGE, SecondStep.FRESH),
        Action("users.suspend", _("Suspend and reactivate members"), Grant.USERS_MANAGE, SecondStep.FRESH),
        Action("users.remove", _("Remove members"), Grant.USERS_MANAGE, SecondStep.FRESH),
        Action(
            "users.reset_two_step",
            _("Reset a member's two-step verification"),
            Grant.USERS_MANAGE,
            SecondStep.FRESH,
        ),
        Action(
            "users.settings", _("Change the shop's member settings"), Grant.USERS_MANAGE, SecondStep.FRESH
        ),
        Action("users.remind", _("Remind members to turn on two-step verification"), Grant.USERS_MANAGE),
    ),
)

AREAS: tuple[Area, ...] = (*MODULES, USER_MANAGEMENT)
ACTIONS: dict[str, Action] = {action.key: action for area in AREAS for action in area.actions}


@dataclass(frozen=True)
class Role:
    name: str
    label: str
    grants: frozenset[Grant]

    @property
    def summary(self) -> str:
        """The areas this role opens, in the words the menus use."""
        return ", ".join(str(area.label) for area in areas_for(self.grants))


OWNER = "owner"

ROLES: dict[str, Role] = {
    role.name: role
    for role in (
        # Never stored on a membership: it belongs to whoever Shop.owner names, and holds every grant.
        Role(OWNER, _("Owner"), frozenset(Grant)),
        Role(
            "main_admin",
            _("Main admin"),
            frozenset(
                {
                    Grant.PRODUCTS_VIEW,
                    Grant.PRODUCTS_MANAGE,
                    Grant.ORDERS_VIEW,
                    Grant.ORDERS_MANAGE,
                    Grant.FINANCE_VIEW,
                    Grant.FINANCE_EXPORT,
                    Grant.MARKETING_VIEW,
                    Grant.MARKETING_MANAGE,
                    Grant.AFFILIATE_VIEW,
                    Grant.AFFILIATE_MANAGE,
                    Grant.ADVERTISING_VIEW,
                    Grant.ADVERTISING_MANAGE,
                    Grant.CUSTOMER_SERVICE_VIEW,
                    Grant.CUSTOMER_SERVICE_REPLY,
                }
            ),
        ),
        Role(
            "affiliate_manager",
            _("Affiliate manager"),
            frozenset({Grant.AFFILIATE_VIEW, Grant.AFFILIATE_MANAGE}),
        ),
        Role(
            "finance_specialist",
            _("Finance specialist"),
            frozenset({Grant.FINANCE_VIEW, Grant.FINANCE_EXPORT}),
        ),
        Role(
            "advertising_manager",
            _("Advertising manager"),
            frozenset({Grant.ADVERTISING_VIEW, Grant.ADVERTISING_MANAGE}),
        ),
        Role(
            "marketing_specialist",
            _("Marketing specialist"),
            frozenset({Grant.MARKETING_VIEW, Grant.MARKETING_MANAGE}),
        ),
        Role(
            "customer_service_agent",
            _("Customer service agent"),
            frozenset({Grant.CUSTOMER_SERVICE_VIEW, Grant.CUSTOMER_SERVICE_REPLY, Grant.ORDERS_VIEW}),
        ),
        Role(
            "order_fulfilment_specialist",
            _("Order fulfilment specialist"),
            frozenset({Grant.ORDERS_VIEW, Grant.ORDERS_MANAGE}),
        ),
        Role(
            "product_management_specialist",
            _("Product management specialist"),
            frozenset({Grant.PRODUCTS_VIEW, Grant.PRODUCTS_MANAGE}),
        ),
    )
}
ASSIGNABLE_ROLES: tuple[str, ...] = tuple(name for name in ROLES if name != OWNER)
ROLE_CHOICES = [(name, ROLES[name].label) for name in ASSIGNABLE_ROLES]


def grants_for(roles, *, is_owner: bool = False) -> frozenset[Grant]:
    """The union of the grants of these role names.

    Unknown names grant nothing, and neither does "owner": only Shop.owner makes an owner.
    """
    if is_owner:
        return ROLES[OWNER].grants
    granted: frozenset[Grant] = frozenset()
    for name in roles:
        if name in ASSIGNABLE_ROLES:
            granted |= ROLES[name].grants
    return granted


def modules_for(grants: frozenset[Grant]) -> list[Area]:
    """The modules whose pages these grants open, in menu order."""
    return [module for module in MODULES if module.view_grant in grants]


def areas_for(grants: frozenset[Grant]) -> list[Area]:
    """Every area (modules, then User Management) these grants open."""
    return [area for area in AREAS if area.view_grant in grants]


def action_allowed(grants: frozenset[Grant], key: str) -> bool:
    """Whether these grants allow the action named `key` (KeyError for an unknown action)."""
    return ACTIONS[key].grant in grants


def roles_granting(grant: Grant) -> list[Role]:
    """The roles an owner can assign that include this grant, in registry order (the owner, who
    holds every grant, is not among them)."""
    return [ROLES[name] for name in ASSIGNABLE_ROLES if grant in ROLES[name].grants]


def what_grant_opens(grant: Grant) -> str:
    """In the menus' words, what a grant lets a member open or do: "Finance", "Export bills as CSV"."""
    for area in AREAS:
        if area.view_grant == grant:
            return str(area.label)
    labels = [str(action.label) for action in ACTIONS.values() if action.grant == grant]
    return labels[0] if len(labels) == 1 else ", ".join(labels) or grant.value
