"""shops/<slug>/finance: bills (+ export as CSV), the balance, the payout account and withdrawals."""

from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import NotFound

from audit.events import EventKind, RequestContext, record_event
from commerce import exports, selectors
from commerce.api.base import (
    MONEY_REFUSALS,
    CurrencyMixin,
    ModelSerializer,
    MoneyField,
    ShopEndpoint,
    ShopList,
    UTCDateTimeField,
    filtered_status,
)
from commerce.models import Bill, BillStatus, PayoutAccount, Withdrawal
from commerce.services import payouts, withdrawals
from permissions.registry import ACTIONS, Grant


class BillSerializer(CurrencyMixin, ModelSerializer):
    amount = MoneyField()
    fees = MoneyField()
    net = MoneyField()

    class Meta:
        model = Bill
        fields = ["id", "period", "reference", "amount", "fees", "net", "currency", "status", "created"]
        read_only_fields = fields


class HoldSerializer(serializers.Serializer):
    until = UTCDateTimeField(allow_null=True)
    reasons = serializers.ListField(child=serializers.CharField())


class BalanceSerializer(serializers.Serializer):
    currency = serializers.CharField()
    available = MoneyField()
    settled_net = MoneyField(help_text="Sales less fees of the settled bills.")
    open_net = MoneyField(help_text="Sales less fees of bills not settled yet: not available yet.")
    requested = MoneyField(help_text="Withdrawals requested, not paid out yet.")
    paid_out = MoneyField()
    hold = HoldSerializer(allow_null=True)


class PayoutAccountSerializer(ModelSerializer):
    masked = serializers.CharField(help_text="Only the last four characters of the number: ••••1234.")

    class Meta:
        model = PayoutAccount
        fields = [
            "id",
            "holder_name",
            "bank_name",
            "masked",
            "status",
            "created",
            "hold_until",
            "hold_reasons",
            "status_reason",
        ]
        read_only_fields = fields


class PayoutAccountInput(serializers.Serializer):
    holder_name = serializers.CharField(max_length=400, allow_blank=True)
    bank_name = serializers.CharField(max_length=400, allow_blank=True)
    account_number = serializers.CharField(max_length=100, allow_blank=True)
    routing_code = serializers.CharField(max_length=100, allow_blank=True)
    code = serializers.CharField(
        max_length=64,
        required=False,
        allow_blank=True,
        help_text="A code from the authenticator app or a recovery code approving exactly this change.",
    )


class WithdrawalSerializer(CurrencyMixin, ModelSerializer):
    amount = MoneyField()
    bank_name = serializers.CharField(source="payout_account.bank_name")
    account = serializers.CharField(source="payout_account.masked")

    class Meta:
        model = Withdrawal
        fields = [
            "id",
            "amount",
            "currency",
            "status",
            "bank_name",
            "account",
            "created",
            "paid_at",
            "payout_reference",
            "cancelled_at",
            "cancel_reason",
        ]
        read_only_fields = fields


class WithdrawalInput(serializers.Serializer):
    amount = MoneyField()
    code = serializers.CharField(
        max_length=64, required=False, allow_blank=True, help_text="A code approving this withdrawal."
    )


class BillList(ShopList):
    serializer_class = BillSerializer
    required_grant = Grant.FINANCE_VIEW

    @extend_schema(parameters=[OpenApiParameter("status", enum=BillStatus.values)])
    def get(self, request, slug):
        """The shop's bills, latest period first."""
        rows = selectors.bills_for(self.membership, status=filtered_status(request, BillStatus))
        return self.paginated(rows)


class BillDetail(ShopEndpoint):
    serializer_class = BillSerializer
    required_grant = Grant.FINANCE_VIEW

    def get(self, request, slug, pk):
        return self.output(selectors.bill_for(self.membership, pk))


class BillExport(ShopEndpoint):
    required_grant = ACTIONS["finance.export"].grant

    @extend_schema(
        parameters=[OpenApiParameter("status", enum=BillStatus.values)],
        responses={(200, "text/csv"): OpenApiTypes.STR},
    )
    def get(self, request, slug):
        """The bills as a CSV file, streamed (finance.export)."""
        bill_status = filtered_status(request, BillStatus)
        record_event(
            request.user,
            EventKind.BILLS_EXPORTED,
            shop=self.shop,
            context=RequestContext.from_request(request),
            status=bill_status or "all",
        )
        return exports.bills_response(selectors.bills_for(self.membership, status=bill_status), self.shop)


class BalanceView(ShopEndpoint):
    serializer_class = BalanceSerializer
    required_grant = Grant.FINANCE_VIEW

    def get(self, request, slug):
        """The available balance and what makes it up, in the shop's currency."""
        balance = selectors.balance_of(self.shop)
        hold = selectors.payout_hold(self.shop)
        data = {**balance.__dict__, "hold": {"until": hold.until, "reasons": hold.reasons} if hold else None}
        return self.output(data)


@method_decorator(sensitive_post_parameters("account_number", "code"), name="dispatch")
class PayoutAccountView(ShopEndpoint):
    error_codes_by_method = {
        "GET": {404: {"not_found": "This shop has no payout account yet."}},
        "PUT": {**MONEY_REFUSALS, 409: {"account_frozen": "The owner's account is frozen."}},
    }
    serializer_class = PayoutAccountSerializer
    required_grant = ACTIONS["finance.payout_account.change"].grant

    def get(self, request, slug):
        """The payout account (masked): the one under review if a change waits, else the active one."""
        account = selectors.current_payout_account(self.shop)
        if account is None:
            raise NotFound(_("This shop has no payout account yet."))
        return self.output(account)

    @extend_schema(request=PayoutAccountInput, responses={200: PayoutAccountSerializer})
    def put(self, request, slug):
        """Change the payout account with a code bound to this change (owner, store.sensitive).

        Without a valid code: 403 step_up_required, naming the bank and last four digits the code
        would approve. Withdrawals are then held (hold_until, hold_reasons).
        """
        data = self.valid(PayoutAccountInput)
        details = payouts.clean_details(
            holder_name=data["holder_name"],
            bank_name=data["bank_name"],
            account_number=data["account_number"],
            routing_code=data["routing_code"],
        )
        account = payouts.change_payout_account(
            self.shop,
            by=request.user,
            details=details,
            code=data.get("code"),
            context=RequestContext.from_request(request),
        )
        return self.output(account)


class PayoutAccountHistory(ShopList):
    serializer_class = PayoutAccountSerializer
    required_grant = Grant.STORE_SENSITIVE

    def get(self, request, slug):
        """Every payout account the shop registered, newest first, masked."""
        return self.paginated(selectors.payout_account_history(self.shop))


@method_decorator(sensitive_post_parameters("code"), name="dispatch")
class WithdrawalList(ShopList):
    error_codes_by_method = {
        "POST": {
            **MONEY_REFUSALS,
            409: {
                "payout_hold": "Withdrawals are on hold after a change of the payout account "
                "(hold_until, hold_reasons say until when and why; null: until support's review).",
                "account_frozen": "The owner's account is frozen.",
                "no_payout_account": "The shop has no payout account.",
                "insufficient_balance": "More than the available balance.",
            },
        }
    }
    serializer_class = WithdrawalSerializer
    required_grant = ACTIONS["finance.withdraw"].grant

    def get(self, request, slug):
        """The shop's withdrawals, newest first, with their status."""
        return self.paginated(selectors.withdrawals_for(self.membership))

    @extend_schema(request=WithdrawalInput, responses={201: WithdrawalSerializer})
    def post(self, request, slug):
        """Withdraw up to the available balance to the payout account, with a code bound to it.

        409 payout_hold during a hold, account_frozen while the owner is frozen, insufficient_balance.
        """
        data = self.valid(WithdrawalInput)
        withdrawal = withdrawals.request_withdrawal(
            self.shop,
            by=request.user,
            amount=data["amount"],
            code=data.get("code"),
            context=RequestContext.from_request(request),
        )
        return self.output(withdrawal, status_code=status.HTTP_201_CREATED)
