"""Products: create, edit, activate, delist (products.manage)."""

import re
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from commerce import money
from commerce.models import Product
from commerce.services.common import move, text

SKU = re.compile(r"^[A-Z0-9][A-Z0-9._\-]{0,63}$")
MAX_STOCK = 1_000_000


def _clean(shop, *, name, sku, price: Decimal, stock: int, exclude_pk=None) -> dict:
    errors = {}
    cleaned = {}
    for field, check in (
        ("name", lambda: text(name, field="name", max_length=200)),
        ("sku", lambda: _sku(shop, sku, exclude_pk)),
        ("price", lambda: money.check_amount(price, shop.currency, field="price")),
        ("stock", lambda: _stock(stock)),
    ):
        try:
            cleaned[field] = check()
        except ValidationError as error:
            errors.update(error.message_dict)
    if errors:
        raise ValidationError(errors)
    return cleaned


def _sku(shop, sku, exclude_pk) -> str:
    sku = str(sku or "").strip().upper()
    if not SKU.match(sku):
        raise ValidationError(
            {
                "sku": [
                    _(
                        "Use 1 to 64 letters, digits, dots, dashes or underscores; start with a "
                        "letter or digit."
                    )
                ]
            }
        )
    taken = Product.objects.filter(shop=shop, sku=sku).exclude(pk=exclude_pk)
    if taken.exists():
        raise ValidationError(
            {"sku": [_("Another product of this shop already has the SKU %(sku)s.") % {"sku": sku}]},
            code="unique",
        )
    return sku


def _stock(stock) -> int:
    if isinstance(stock, bool) or not isinstance(stock, int) or not 0 <= stock <= MAX_STOCK:
        raise ValidationError(
            {"stock": [_("Enter a whole number from 0 to %(maximum)s.") % {"maximum": f"{MAX_STOCK:,}"}]}
        )
    return stock


def _save(product: Product) -> Product:
    try:
        with transaction.atomic():
            product.save()
    except IntegrityError:
        # Two requests chose the same SKU at once: the database's constraint decided.
        raise ValidationError({"sku": [_("Another product of this shop already has this SKU.")]}) from None
    return product


def create_product(shop, *, name, sku, price: Decimal, stock: int) -> Product:
    """A new active product; ValidationError naming each field that is wrong."""
    return _save(Product(shop=shop, **_clean(shop, name=name, sku=sku, price=price, stock=stock)))


def edit_product(product: Product, *, name, sku, price: Decimal, stock: int) -> Product:
    cleaned = _clean(product.shop, name=name, sku=sku, price=price, stock=stock, exclude_pk=product.pk)
    for field, value in cleaned.items():
        setattr(product, field, value)
    return _save(product)


@transaction.atomic
def activate_product(product: Product) -> Product:
    product = Product.objects.select_for_update().get(pk=product.pk)
    move(product, "activate", code="product_already_active", message=_("This product is already on sale."))
    product.save(update_fields=["status", "updated"])
    return product


@transaction.atomic
def delist_product(product: Product) -> Product:
    product = Product.objects.select_for_update().get(pk=product.pk)
    move(product, "delist", code="product_already_delisted", message=_("This product is already delisted."))
    product.save(update_fields=["status", "updated"])
    return product
