"""The one registry of modules, grants and roles (SPEC §5).

Everything that decides or shows what a member may do reads this module: the membership check, DRF
permission classes, menus, the "what this role can do" text, the admin and the tests. Nothing else
spells a role's powers.
"""

from dataclasses import dataclass
from enum import StrEnum


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


@dataclass(frozen=True)
class Module:
    """A section of a shop: its URL segment, its menu label and the grant that opens it."""

    slug: str
    label: str
    view_grant: Grant
    description: str


MODULES: tuple[Module, ...] = (
    Module("products", "Products", Grant.PRODUCTS_VIEW, "Create, edit, activate and delist products."),
    Module("orders", "Orders", Grant.ORDERS_VIEW, "Arrange delivery, returns and refunds."),
    Module("finance", "Finance", Grant.FINANCE_VIEW, "Bill details and CSV export."),
    Module("marketing", "Marketing", Grant.MARKETING_VIEW, "Create, change and end campaigns."),
    Module(
        "affiliate",
        "Affiliate",
        Grant.AFFILIATE_VIEW,
        "Affiliate plans, contacting creators and their performance.",
    ),
    Module("advertising", "Advertising", Grant.ADVERTISING_VIEW, "Ad plans and ad data."),
    Module(
        "customer-service", "Customer Service", Grant.CUSTOMER_SERVICE_VIEW, "Buyer messages and after-sales."
    ),
)
MODULES_BY_SLUG = {module.slug: module for module in MODULES}


@dataclass(frozen=True)
class Role:
    name: str
    label: str
    grants: frozenset[Grant]

    @property
    def summary(self) -> str:
        """What this role can do, in the words the menus use."""
        modules = [m.label for m in MODULES if m.view_grant in self.grants]
        extras = []
        if Grant.USERS_MANAGE in self.grants:
            extras.append("User Management")
        if Grant.STORE_SENSITIVE in self.grants:
            extras.append("payout account and withdrawals")
        return ", ".join(modules + extras)


def _module_grants(*prefixes: str) -> frozenset[Grant]:
    return frozenset(g for g in Grant if g.value.split(".")[0] in prefixes)


_EVERY_MODULE = _module_grants(
    "products", "orders", "finance", "marketing", "affiliate", "advertising", "customer_service"
)

OWNER = "owner"

# The owner role is never stored on a membership: it belongs to whoever Shop.owner names.
ROLES: dict[str, Role] = {
    role.name: role
    for role in (
        Role(OWNER, "Owner", frozenset(Grant)),
        Role("main_admin", "Main admin", _EVERY_MODULE),
        Role("affiliate_manager", "Affiliate manager", _module_grants("affiliate")),
        Role("finance_specialist", "Finance specialist", _module_grants("finance")),
        Role("advertising_manager", "Advertising manager", _module_grants("advertising")),
        Role("marketing_specialist", "Marketing specialist", _module_grants("marketing")),
        Role(
            "customer_service_agent",
            "Customer service agent",
            _module_grants("customer_service") | {Grant.ORDERS_VIEW},
        ),
        Role("order_fulfilment_specialist", "Order fulfilment specialist", _module_grants("orders")),
        Role("product_management_specialist", "Product management specialist", _module_grants("products")),
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


def modules_for(grants: frozenset[Grant]) -> list[Module]:
    """The modules whose pages these grants open, in menu order."""
    return [module for module in MODULES if module.view_grant in grants]
