"""The order page: details, arranging delivery, cancelling, returns and refunds (orders.manage)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_fsm import can_proceed

from audit.events import RequestContext
from commerce import selectors
from commerce.errors import CommerceError
from commerce.forms import CancelForm, RefundForm, ShipForm, put_errors
from commerce.services import orders as services
from commerce.views.common import page, refused
from permissions.registry import Grant


def _order_url(slug, pk):
    return reverse("commerce:order", args=[slug, pk])


def _order_page(request, order, *, ship=None, cancel=None, refund=None, status=200):
    context = {
        "order": order,
        "refunds": list(selectors.refunds_of(order)),
        "ship_form": ship or ShipForm(),
        "cancel_form": cancel or CancelForm(),
        "refund_form": refund or RefundForm(initial={"key": RefundForm.new_key()}),
        "can_ship": can_proceed(order.ship),
        "can_cancel": can_proceed(order.cancel),
        "can_refund": can_proceed(order.refund) and order.refundable > 0,
    }
    return render(request, "commerce/order.html", context, status=status)


@page(Grant.ORDERS_VIEW)
def order_detail(request, slug, pk):
    return _order_page(request, selectors.order_for(request.membership, pk))


def _order_action(request, slug, pk, form_class, form_name, perform, success):
    order = selectors.order_for(request.membership, pk)
    form = form_class(request.POST)
    if form.is_valid():
        try:
            said = perform(order, form.cleaned_data)
        except CommerceError as error:
            return refused(request, error, back=_order_url(slug, pk))
        except ValidationError as error:
            put_errors(form, error)
        else:
            messages.success(request, said if isinstance(said, str) else success)
            return redirect(_order_url(slug, pk))
    return _order_page(request, order, status=400, **{form_name: form})


@require_POST
@page("orders.ship")
def order_ship(request, slug, pk):
    return _order_action(
        request,
        slug,
        pk,
        ShipForm,
        "ship",
        lambda order, data: services.ship_order(order, **data),
        _("Delivery arranged: the order is shipped."),
    )


@require_POST
@page("orders.cancel")
def order_cancel(request, slug, pk):
    return _order_action(
        request,
        slug,
        pk,
        CancelForm,
        "cancel",
        lambda order, data: services.cancel_order(order, **data),
        _("The order was cancelled."),
    )


@require_POST
@page("orders.refund")
def order_refund(request, slug, pk):
    def perform(order, data):
        _refund, created = services.refund_order(
            order, by=request.user, context=RequestContext.from_request(request), **data
        )
        if not created:
            return _("This refund was already made: it was not applied twice.")
        return None

    return _order_action(request, slug, pk, RefundForm, "refund", perform, _("The refund was recorded."))
