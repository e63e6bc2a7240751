"""Product pages: create, edit, activate, delist (products.manage)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from commerce import selectors
from commerce.forms import ProductForm, put_errors
from commerce.services import products as services
from commerce.views.common import act, page


def _list_url(slug):
    return reverse("commerce:module", args=[slug, "products"])


def _form_page(request, form, *, title, status=200):
    context = {
        "form": form,
        "title": title,
        "submit": _("Save product"),
        "back": _list_url(request.membership.shop.slug),
    }
    return render(request, "commerce/form.html", context, status=status)


@page("products.create")
def product_create(request, slug):
    form = ProductForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            product = services.create_product(request.membership.shop, **form.cleaned_data)
        except ValidationError as error:
            put_errors(form, error)
        else:
            messages.success(request, _("%(name)s is on sale.") % {"name": product.name})
            return redirect(_list_url(slug))
    return _form_page(request, form, title=_("New product"), status=400 if form.errors else 200)


@page("products.edit")
def product_edit(request, slug, pk):
    product = selectors.product_for(request.membership, pk)
    initial = {
        "name": product.name,
        "sku": product.sku,
        "price": product.price.normalize(),
        "stock": product.stock,
    }
    form = ProductForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.edit_product(product, **form.cleaned_data)
        except ValidationError as error:
            put_errors(form, error)
        else:
            messages.success(request, _("%(name)s was saved.") % {"name": product.name})
            return redirect(_list_url(slug))
    return _form_page(
        request, form, title=_("Edit %(name)s") % {"name": product.name}, status=400 if form.errors else 200
    )


@require_POST
@page("products.activate")
def product_activate(request, slug, pk):
    product = selectors.product_for(request.membership, pk)
    return act(
        request,
        lambda: services.activate_product(product),
        success=_("%(name)s is on sale again.") % {"name": product.name},
        back=_list_url(slug),
    )


@require_POST
@page("products.delist")
def product_delist(request, slug, pk):
    product = selectors.product_for(request.membership, pk)
    return act(
        request,
        lambda: services.delist_product(product),
        success=_("%(name)s was delisted.") % {"name": product.name},
        back=_list_url(slug),
    )
