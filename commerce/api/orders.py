"""shops/<slug>/orders: list, detail, and /<id>/ship, /<id>/cancel, /<id>/refund."""

from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import serializers, status

from audit.events import RequestContext
from commerce import selectors
from commerce.api.base import (
    CurrencyMixin,
    ModelSerializer,
    MoneyField,
    ObjectAction,
    ShopEndpoint,
    ShopList,
    filtered_status,
)
from commerce.models import Carrier, Order, OrderStatus, Refund, RefundReason
from commerce.services import orders as services
from permissions.registry import ACTIONS, Grant


class RefundSerializer(CurrencyMixin, ModelSerializer):
    amount = MoneyField()
    idempotency_key = serializers.CharField(source="key")

    class Meta:
        model = Refund
        fields = ["id", "amount", "currency", "reason", "note", "idempotency_key", "created"]
        read_only_fields = fields


class OrderSerializer(CurrencyMixin, ModelSerializer):
    total = MoneyField()
    refunded_total = MoneyField()
    refundable = MoneyField()

    class Meta:
        model = Order
        fields = [
            "id",
            "number",
            "buyer_name",
            "total",
            "refunded_total",
            "refundable",
            "currency",
            "status",
            "carrier",
            "tracking_number",
            "shipped_at",
            "cancelled_at",
            "cancel_reason",
            "created",
        ]
        read_only_fields = fields


class OrderDetailSerializer(OrderSerializer):
    refunds = serializers.SerializerMethodField()

    class Meta(OrderSerializer.Meta):
        fields = [*OrderSerializer.Meta.fields, "refunds"]
        read_only_fields = fields

    @extend_schema_field(RefundSerializer(many=True))
    def get_refunds(self, order):
        return RefundSerializer(selectors.refunds_of(order), many=True, context=self.context).data


class ShipInput(serializers.Serializer):
    carrier = serializers.ChoiceField(choices=Carrier.choices)
    tracking_number = serializers.CharField(max_length=80)


class CancelInput(serializers.Serializer):
    reason = serializers.CharField(max_length=400)


class RefundInput(serializers.Serializer):
    amount = MoneyField()
    reason = serializers.ChoiceField(choices=RefundReason.choices)
    note = serializers.CharField(max_length=1000, required=False, allow_blank=True, default="")
    idempotency_key = serializers.CharField(
        max_length=200,
        required=False,
        help_text="Identifies this refund request: sent again, it answers with the refund already made "
        "instead of refunding twice. The Idempotency-Key header works too.",
    )


class OrderList(ShopList):
    serializer_class = OrderSerializer
    required_grant = Grant.ORDERS_VIEW

    @extend_schema(parameters=[OpenApiParameter("status", enum=OrderStatus.values)])
    def get(self, request, slug):
        """The shop's orders, newest first."""
        rows = selectors.orders_for(self.membership, status=filtered_status(request, OrderStatus))
        return self.paginated(rows)


class OrderDetail(ShopEndpoint):
    serializer_class = OrderDetailSerializer
    required_grant = Grant.ORDERS_VIEW

    def get(self, request, slug, pk):
        """One order with its refunds."""
        return self.output(selectors.order_for(self.membership, pk))


class OrderShip(ObjectAction):
    conflicts = {"order_not_shippable": "Only a pending order can be shipped."}
    action = "orders.ship"
    find = staticmethod(selectors.order_for)
    serializer_class = OrderSerializer
    input_serializer = ShipInput

    def perform(self, order, data):
        return services.ship_order(order, **data)


class OrderCancel(ObjectAction):
    conflicts = {"order_not_cancellable": "Only an order that has not shipped can be cancelled."}
    action = "orders.cancel"
    find = staticmethod(selectors.order_for)
    serializer_class = OrderSerializer
    input_serializer = CancelInput

    def perform(self, order, data):
        return services.cancel_order(order, **data)


class OrderRefund(ShopEndpoint):
    error_codes_by_method = {
        "POST": {
            409: {
                "order_not_refundable": "Only shipped or delivered orders with something left are refunded.",
                "refund_exceeds_remaining": "The amount is more than what remains refundable.",
                "refund_key_reused": "This idempotency key was used for a different refund.",
            }
        }
    }
    serializer_class = RefundSerializer
    required_grant = ACTIONS["orders.refund"].grant

    @extend_schema(request=RefundInput, responses={201: RefundSerializer, 200: RefundSerializer})
    def post(self, request, slug, pk):
        """Refund all or part of what remains (201); the same idempotency key again answers 200 with
        the refund already made, and refunds nothing more."""
        order = selectors.order_for(self.membership, pk)
        data = self.valid(RefundInput)
        key = data.get("idempotency_key") or request.headers.get("Idempotency-Key", "")
        try:
            refund, created = services.refund_order(
                order,
                amount=data["amount"],
                reason=data["reason"],
                note=data["note"],
                key=key,
                by=request.user,
                context=RequestContext.from_request(request),
            )
        except DjangoValidationError as error:
            # The service calls it the key; the API calls it idempotency_key.
            errors = error.message_dict
            if "key" in errors:
                errors["idempotency_key"] = errors.pop("key")
            raise serializers.ValidationError(errors) from None
        return self.output(refund, status_code=status.HTTP_201_CREATED if created else status.HTTP_200_OK)
