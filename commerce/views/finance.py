"""Finance pages: bill details and the CSV export (finance.view, finance.export); the payout account
and withdrawals (store.sensitive, owner only, a code bound to each move; SPEC §6a)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_GET, require_POST

from accounts.selectors import two_step_enabled
from audit.events import EventKind, RequestContext, record_event
from commerce import exports, money, selectors
from commerce.errors import AccountFrozen, CommerceError, StepUpRequired
from commerce.forms import PayoutConfirmForm, PayoutDetailsForm, WithdrawalForm, put_errors
from commerce.models import BillStatus, PayoutAccountStatus
from commerce.services import payouts, withdrawals
from commerce.views.common import page, refused
from permissions.registry import Grant

# How the 403 names these pages: their grant's actions would read "Change the payout account, ...".
PAYOUT_ACCOUNT = gettext_lazy("the payout account")


def _finance_url(slug):
    return reverse("commerce:module", args=[slug, "finance"])


@page(Grant.FINANCE_VIEW)
def bill_detail(request, slug, pk):
    bill = selectors.bill_for(request.membership, pk)
    period = selectors.orders_in_period(request.membership, bill)
    return render(request, "commerce/bill.html", {"bill": bill, "period": period})


@require_GET
@page("finance.export")
def bills_export(request, slug):
    status = request.GET.get("status")
    status = status if status in BillStatus.values else None
    shop = request.membership.shop
    record_event(
        request.user,
        EventKind.BILLS_EXPORTED,
        shop=shop,
        context=RequestContext.from_request(request),
        status=status or "all",
    )
    return exports.bills_response(selectors.bills_for(request.membership, status=status), shop)


# The payout account.


def _payout_url(slug):
    return reverse("commerce:payout-account", args=[slug])


@page("finance.payout_account.change", name=PAYOUT_ACCOUNT)
def payout_account(request, slug):
    shop = request.membership.shop
    context = {
        "active": selectors.active_payout_account(shop),
        "pending": selectors.pending_payout_account(shop),
        "hold": selectors.payout_hold(shop),
        "history": selectors.payout_account_history(shop)[:50],
        "two_step_enabled": two_step_enabled(request.user),
        "frozen": shop.owner.is_frozen or request.user.is_frozen,
    }
    return render(request, "commerce/payout_account.html", context)


def _closed(request, slug):
    """The change page stays closed without two-step verification or while the owner is frozen."""
    if not two_step_enabled(request.user):
        return render(request, "commerce/payout_closed.html", {"back": _payout_url(slug)}, status=403)
    shop = request.membership.shop
    if shop.owner.is_frozen or request.user.is_frozen:
        return refused(request, AccountFrozen(), back=_payout_url(slug))
    return None


@sensitive_post_parameters("account_number")
@page("finance.payout_account.change", name=PAYOUT_ACCOUNT)
def payout_account_change(request, slug):
    """Step 1: the new details. Valid, they come back with the bank and last four digits shown,
    and the code is asked for (step 2)."""
    if closed := _closed(request, slug):
        return closed
    form = PayoutDetailsForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            details = payouts.clean_details(**form.cleaned_data)
        except ValidationError as error:
            put_errors(form, error)
        else:
            return _confirm_page(request, details, PayoutConfirmForm(initial=details.__dict__))
    return render(request, "commerce/payout_change.html", {"form": form}, status=400 if form.errors else 200)


def _confirm_page(request, details, form, status=200):
    hold = payouts.hold_for_change(request.user, RequestContext.from_request(request), timezone.now())
    context = {"details": details, "form": form, "last4": details.account_number[-4:], "hold_until": hold[0]}
    return render(request, "commerce/payout_confirm.html", context, status=status)


@require_POST
@sensitive_post_parameters("account_number", "code")
@page("finance.payout_account.change", name=PAYOUT_ACCOUNT)
def payout_account_confirm(request, slug):
    """Step 2: the same details with the code that approves exactly them."""
    if closed := _closed(request, slug):
        return closed
    form = PayoutConfirmForm(request.POST)
    if not form.is_valid():
        return redirect("commerce:payout-account-change", slug)
    try:
        details = payouts.clean_details(
            **{name: form.cleaned_data[name] for name in PayoutDetailsForm.base_fields}
        )
        account = payouts.change_payout_account(
            request.membership.shop,
            by=request.user,
            details=details,
            code=form.cleaned_data.get("code"),
            context=RequestContext.from_request(request),
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("commerce:payout-account-change", slug)
    except StepUpRequired as error:
        # The details again, without the refused code.
        form = PayoutConfirmForm({**details.__dict__, "code": ""})
        form.is_valid()
        form.add_error("code", error.message)
        return _confirm_page(request, details, form, status=403)
    except CommerceError as error:
        return refused(request, error, back=_payout_url(slug))
    if account.status == PayoutAccountStatus.PENDING_REVIEW:
        messages.warning(
            request,
            _(
                "%(account)s is registered by another shop: support reviews it before payouts go "
                "there. We e-mailed you about this change."
            )
            % {"account": account.summary},
        )
    else:
        messages.success(
            request,
            _("Payouts now go to %(account)s. We e-mailed you about this change.")
            % {"account": account.summary},
        )
    return redirect(_payout_url(slug))


# Withdrawals.


@sensitive_post_parameters("code")
@page("finance.withdraw", name=gettext_lazy("withdrawals"))
def withdrawals_page(request, slug):
    shop = request.membership.shop
    form = WithdrawalForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                withdrawal = withdrawals.request_withdrawal(
                    shop,
                    by=request.user,
                    amount=form.cleaned_data["amount"],
                    code=form.cleaned_data.get("code"),
                    context=RequestContext.from_request(request),
                )
            except ValidationError as error:
                put_errors(form, error)
                status = 400
            except StepUpRequired as error:
                form.add_error("code", error.message)
                status = 403
            except CommerceError as error:
                return refused(request, error, back=reverse("commerce:withdrawals", args=[slug]))
            else:
                amount = money.format_money(withdrawal.amount, withdrawal.currency)
                messages.success(
                    request,
                    _("Withdrawal of %(amount)s requested. It is paid out shortly.") % {"amount": amount},
                )
                return redirect("commerce:withdrawals", slug)
        else:
            status = 400
    context = {
        "form": form,
        "balance": selectors.balance_of(shop),
        "hold": selectors.payout_hold(shop),
        "account": selectors.active_payout_account(shop),
        "rows": selectors.withdrawals_for(request.membership)[:100],
        "two_step_enabled": two_step_enabled(request.user),
        "frozen": shop.owner.is_frozen,
    }
    return render(request, "commerce/withdrawals.html", context, status=status)
