"""What the module models share: money columns, and the checks the database itself enforces."""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q

# Three places: the most any shop currency has (KWD, BHD). commerce.money quantizes to each
# currency's own precision.
MONEY = {"max_digits": 15, "decimal_places": 3, "validators": [MinValueValidator(0)]}
PERCENT = {"max_digits": 5, "decimal_places": 2, "validators": [MinValueValidator(0), MaxValueValidator(100)]}


def status_valid(name: str, choices) -> models.CheckConstraint:
    return models.CheckConstraint(condition=Q(status__in=choices.values), name=f"{name}_status_valid")


def not_negative(name: str, field: str) -> models.CheckConstraint:
    return models.CheckConstraint(condition=Q(**{f"{field}__gte": 0}), name=f"{name}_{field}_not_negative")


def percent(name: str, field: str) -> models.CheckConstraint:
    return models.CheckConstraint(
        condition=Q(**{f"{field}__gte": 0, f"{field}__lte": 100}), name=f"{name}_{field}_percent"
    )
