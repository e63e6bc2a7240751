from django import template

from permissions.registry import ROLES, Grant

register = template.Library()


@register.filter
def has_grant(membership, grant_name: str) -> bool:
    """{% if membership|has_grant:"users.manage" %}: a misspelt grant fails loudly, not silently."""
    return membership is not None and membership.has(Grant(grant_name))


@register.filter
def role_label(role_name: str) -> str:
    role = ROLES.get(role_name)
    return role.label if role else role_name
