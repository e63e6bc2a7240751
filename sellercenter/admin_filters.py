"""What the admin lets staff filter and search by: declared filters only, and never a hidden field.

Stock Django lets a change list filter by any local field named in the query string
(`?account_number__startswith=004`), shown or not, so support staff could read a payout account
number or an anti-phishing phrase one character at a time. Here, for every ModelAdmin the site
registers (SellerCenterAdminSite wraps each one in DeclaredFiltersOnly):

- a change list accepts only the parameters its declared filters consume (list_filter and
  date_hierarchy); anything else is a 400;
- a ModelAdmin may not declare a search field or a filter that reaches a hidden field: one the
  admin of that field's model does not show. A system check (sellercenter.E001) refuses it.
"""

from django.contrib.admin.exceptions import DisallowedModelAdminLookup
from django.contrib.admin.utils import flatten_fieldsets
from django.core import checks
from django.core.exceptions import FieldDoesNotExist
from django.db.models.constants import LOOKUP_SEP


class RefuseUndeclaredFilters:
    """ChangeList mixin: after the declared filters took their parameters, none may be left."""

    def get_filters(self, request):
        specs, has_filters, remaining, duplicates, active = super().get_filters(request)
        hierarchy = self.model_admin.date_hierarchy
        # The date hierarchy turns its __year/__month/__day into these two bounds.
        produced = (
            {f"{hierarchy}__gte", f"{hierarchy}__lt"} if f"{hierarchy}__year" in self.filter_params else set()
        )
        undeclared = sorted(set(remaining) - produced)
        if undeclared:
            raise DisallowedModelAdminLookup(f"Filtering by {', '.join(undeclared)} is not allowed.")
        return specs, has_filters, remaining, duplicates, active


_changelists: dict[type, type] = {}


class DeclaredFiltersOnly:
    """ModelAdmin mixin: its change list refuses filters that are not declared."""

    def get_changelist(self, request, **kwargs):
        base = super().get_changelist(request, **kwargs)
        if base not in _changelists:
            _changelists[base] = type(f"DeclaredFilters{base.__name__}", (RefuseUndeclaredFilters, base), {})
        return _changelists[base]


def shown_fields(model_admin) -> set[str]:
    """Names of the model's fields that this admin shows: in the list, or on the change page."""
    opts = model_admin.model._meta
    shown = {name for name in model_admin.list_display if isinstance(name, str)}
    shown |= set(model_admin.readonly_fields)
    if model_admin.fieldsets:
        shown |= set(flatten_fieldsets(model_admin.fieldsets))
    elif model_admin.fields:
        shown |= set(flatten_fieldsets([(None, {"fields": model_admin.fields})]))
    else:
        # Without fields or fieldsets the change form shows every editable field not excluded.
        excluded = set(model_admin.exclude or ())
        shown |= {
            f.name for f in opts.get_fields() if getattr(f, "editable", False) and f.name not in excluded
        }
    shown.add(opts.pk.name)  # the id is in every change page's address
    return shown


def _hidden_hop(site, model, path: str) -> str | None:
    """The first field along a lookup path that the admin of its model does not show, as
    "app.Model.field", or None when every hop is shown. Lookups and transforms end the path."""
    for part in path.split(LOOKUP_SEP):
        try:
            field = model._meta.get_field(part)
        except FieldDoesNotExist:
            return None
        model_admin = site._registry.get(model)
        if model_admin is None or field.name not in shown_fields(model_admin):
            return f"{model._meta.label}.{field.name}"
        if not field.is_relation:
            return None
        model = field.related_model
    return None


def _declared_paths(model_admin) -> list[tuple[str, str]]:
    paths = [("search field", name.lstrip("^=@")) for name in model_admin.search_fields]
    for item in model_admin.list_filter:
        if isinstance(item, str):
            paths.append(("filter", item))
        elif isinstance(item, list | tuple):
            paths.append(("filter", item[0]))
    if model_admin.date_hierarchy:
        paths.append(("date hierarchy", model_admin.date_hierarchy))
    return paths


def hidden_field_errors(site) -> list[checks.Error]:
    """sellercenter.E001 for every search field or filter, of every registered ModelAdmin, that
    reaches a field its model's admin does not show."""
    errors = []
    for model, model_admin in site._registry.items():
        for kind, path in _declared_paths(model_admin):
            hidden = _hidden_hop(site, model, path)
            if hidden:
                errors.append(
                    checks.Error(
                        f"The {kind} {path!r} of {type(model_admin).__name__} reaches {hidden}, which "
                        "the admin does not show: staff could learn it by filtering or searching.",
                        hint="Show the field in its model's admin, or do not filter or search by it.",
                        obj=type(model_admin),
                        id="sellercenter.E001",
                    )
                )
    return errors
