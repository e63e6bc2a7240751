"""Forms of the module pages. They parse what was typed; the services hold the rules and their
ValidationErrors are put back on the form (put_errors)."""

import secrets

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy

from commerce.models import Carrier, RefundReason
from security.forms import CodeForm


def put_errors(form: forms.Form, error: ValidationError) -> None:
    """Show a service's ValidationError on the form, each message under its field."""
    messages = error.message_dict if hasattr(error, "error_dict") else {None: error.messages}
    for field, field_messages in messages.items():
        form.add_error(field if field in form.fields else None, field_messages)


def amount_field(label: str, **kwargs) -> forms.DecimalField:
    # No decimal_places here: the currency decides, and the service says so in words.
    return forms.DecimalField(
        label=label, max_digits=18, widget=forms.TextInput(attrs={"inputmode": "decimal"}), **kwargs
    )


class ProductForm(forms.Form):
    name = forms.CharField(max_length=200)
    sku = forms.CharField(
        label=gettext_lazy("SKU"),
        max_length=64,
        help_text=gettext_lazy("Letters, digits, dots, dashes; unique in the shop."),
    )
    price = amount_field("Price")
    stock = forms.IntegerField(min_value=0, max_value=1_000_000)


class ShipForm(forms.Form):
    carrier = forms.ChoiceField(choices=Carrier.choices)
    tracking_number = forms.CharField(max_length=40)


class CancelForm(forms.Form):
    reason = forms.CharField(max_length=200, help_text=gettext_lazy("Shown in the order's history."))


class RefundForm(forms.Form):
    amount = amount_field(gettext_lazy("Amount to refund"))
    reason = forms.ChoiceField(choices=RefundReason.choices)
    note = forms.CharField(max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 2}))
    # One key per form shown: submitting the same form twice refunds once.
    key = forms.CharField(widget=forms.HiddenInput, max_length=64)

    @staticmethod
    def new_key() -> str:
        return secrets.token_urlsafe(16)


class CampaignForm(forms.Form):
    name = forms.CharField(max_length=120)
    discount_percent = forms.DecimalField(label=gettext_lazy("Discount (%)"), max_digits=5, decimal_places=2)
    starts_on = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}))
    ends_on = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}))


class AffiliatePlanForm(forms.Form):
    name = forms.CharField(max_length=120)
    commission_percent = forms.DecimalField(
        label=gettext_lazy("Commission (%)"), max_digits=5, decimal_places=2
    )


class CreatorForm(forms.Form):
    handle = forms.CharField(max_length=60, help_text=gettext_lazy("e.g. @kitchen.tales"))
    channel = forms.CharField(
        max_length=60, required=False, help_text=gettext_lazy("Where they publish, e.g. video.")
    )
    message = forms.CharField(
        max_length=2000, widget=forms.Textarea(attrs={"rows": 3}), label=gettext_lazy("What you sent them")
    )


class AdPlanForm(forms.Form):
    name = forms.CharField(max_length=120)
    daily_budget = amount_field(gettext_lazy("Daily budget"))


class ConversationForm(forms.Form):
    buyer_name = forms.CharField(max_length=120, label=gettext_lazy("Buyer"))
    subject = forms.CharField(max_length=200)
    body = forms.CharField(
        max_length=4000, widget=forms.Textarea(attrs={"rows": 4}), label=gettext_lazy("Message")
    )


class ReplyForm(forms.Form):
    body = forms.CharField(
        max_length=4000, widget=forms.Textarea(attrs={"rows": 3}), label=gettext_lazy("Your reply")
    )


class PayoutDetailsForm(forms.Form):
    holder_name = forms.CharField(max_length=120, label=gettext_lazy("Account holder"))
    bank_name = forms.CharField(max_length=120, label=gettext_lazy("Bank"))
    account_number = forms.CharField(
        max_length=60,
        label=gettext_lazy("Account number or IBAN"),
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    routing_code = forms.CharField(
        max_length=40,
        label=gettext_lazy("Bank code"),
        help_text=gettext_lazy("Sort code, routing number or BIC."),
    )


class PayoutConfirmForm(PayoutDetailsForm, CodeForm):
    """The details again (hidden) with the code that approves exactly them."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in PayoutDetailsForm.base_fields:
            self.fields[name].widget = forms.HiddenInput()
        self.fields["code"].required = False


class WithdrawalForm(CodeForm):
    amount = amount_field("Amount")
    field_order = ["amount", "code"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["code"].widget.attrs.pop("autofocus", None)
        self.fields["code"].required = False
        self.fields["code"].help_text = gettext_lazy(
            "From your authenticator app, or a recovery code. E-mail codes cannot approve it."
        )
