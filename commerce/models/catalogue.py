"""Products a shop sells."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy
from django_fsm import FSMField, transition

from accounts.models import Shop
from commerce.models.common import MONEY, not_negative, status_valid


class ProductStatus(models.TextChoices):
    ACTIVE = "active", gettext_lazy("Active")
    DELISTED = "delisted", gettext_lazy("Delisted")


class Product(models.Model):
    shop = models.ForeignKey(Shop, on_delete=models.CASCADE, related_name="products")
    name = models.CharField(max_length=200)
    # Stored upper-case (commerce.services.products), so the per-shop uniqueness ignores case.
    sku = models.CharField("SKU", max_length=64)
    price = models.DecimalField(**MONEY)
    stock = models.PositiveIntegerField(default=0)
    status = FSMField(max_length=16, choices=ProductStatus.choices, default=ProductStatus.ACTIVE)
    created = models.DateTimeField(default=timezone.now)
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["shop", "sku"], name="product_sku_unique_per_shop"),
            not_negative("product", "price"),
            status_valid("product", ProductStatus),
        ]

    def __str__(self):
        return f"{self.name} ({self.sku})"

    @transition(field=status, source=ProductStatus.DELISTED, target=ProductStatus.ACTIVE)
    def activate(self):
        """Put a delisted product back on sale."""

    @transition(field=status, source=ProductStatus.ACTIVE, target=ProductStatus.DELISTED)
    def delist(self):
        """Take the product off sale; it stays in the catalogue."""
