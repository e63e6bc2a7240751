from django import template

from commerce.money import format_money

register = template.Library()


@register.filter
def money(amount, currency) -> str:
    """{{ order.total|money:shop.currency }} → "USD 42.50", at the currency's precision."""
    code = getattr(currency, "currency", currency)
    return format_money(amount, code)
