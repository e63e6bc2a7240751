"""What every module endpoint shares: the shop from the URL with the registry's grant, money and
times in the API's shape, and refusals as {"detail", "code"} (SPEC §10)."""

from datetime import UTC

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import generics, mixins, serializers, status
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from accounts.access import ShopGrant
from commerce import money
from commerce.errors import CodesThrottled, CommerceError, PayoutHold, StepUpRequired
from permissions.registry import ACTIONS


class UTCDateTimeField(serializers.DateTimeField):
    """ISO 8601 in UTC whatever time zone the request activated: the API's times are UTC."""

    def __init__(self, **kwargs):
        super().__init__(default_timezone=UTC, **kwargs)


@extend_schema_field({"type": "string", "format": "decimal", "example": "19.90"})
class MoneyField(serializers.Field):
    """An amount as a string at the shop currency's precision: "19.90" (USD), "1990" (JPY).

    Writes take a string or a number; the services check the currency's precision.
    """

    def to_representation(self, value):
        return str(money.quantize(value, self.context["shop"].currency))

    def to_internal_value(self, data):
        try:
            return money.parse_amount(data)
        except ValueError:
            raise serializers.ValidationError(_("Enter an amount such as 19.90.")) from None


class ModelSerializer(serializers.ModelSerializer):
    serializer_field_mapping = {
        **serializers.ModelSerializer.serializer_field_mapping,
        **{
            field: UTCDateTimeField
            for field in serializers.ModelSerializer.serializer_field_mapping
            if getattr(field, "__name__", "") == "DateTimeField"
        },
    }


class CurrencyMixin(serializers.Serializer):
    currency = serializers.SerializerMethodField()

    def get_currency(self, _obj) -> str:
        return self.context["shop"].currency


def refusal(error: CommerceError) -> Response:
    """The answer to a refused action: its status and {"detail", "code"}, with what helps the caller."""
    data = {"detail": error.message, "code": error.code}
    headers = {}
    if isinstance(error, PayoutHold):
        data["hold_until"] = error.until.astimezone(UTC).isoformat() if error.until else None
        data["hold_reasons"] = error.reasons
    if isinstance(error, StepUpRequired):
        data["approves"] = error.approves
    if isinstance(error, CodesThrottled):
        data["retry_after"] = error.wait
        headers["Retry-After"] = str(error.wait)
    return Response(data, status=error.status, headers=headers)


class ShopEndpoint(generics.GenericAPIView):
    """An endpoint of one shop: 404 outside the caller's shops, 403 without the grant (ShopGrant).

    Subclasses name `required_grant` or `grants_by_method`, taken from the registry.
    """

    permission_classes = [IsAuthenticated, ShopGrant]
    # The stable codes each method may answer besides the usual ones, for the schema:
    # {"POST": {409: {"order_not_shippable": "Only a pending order can be shipped."}}}.
    error_codes_by_method: dict[str, dict[int, dict[str, str]]] = {}

    @property
    def error_codes(self) -> dict[int, dict[str, str]]:
        method = getattr(getattr(self, "request", None), "method", None)
        return self.error_codes_by_method.get(method, {})

    @property
    def membership(self):
        return self.request.membership

    @property
    def shop(self):
        return self.request.membership.shop

    def get_serializer_context(self):
        context = super().get_serializer_context()
        if hasattr(self.request, "membership"):
            context["shop"] = self.shop
        return context

    def handle_exception(self, exc):
        if isinstance(exc, CommerceError):
            return refusal(exc)
        if isinstance(exc, DjangoValidationError):
            detail = exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
            exc = serializers.ValidationError(detail)
        return super().handle_exception(exc)

    def output(self, instance, *, status_code=status.HTTP_200_OK, serializer_class=None):
        serializer_class = serializer_class or self.get_serializer_class()
        return Response(
            serializer_class(instance, context=self.get_serializer_context()).data, status=status_code
        )

    def valid(self, serializer_class, data=None) -> dict:
        serializer = serializer_class(
            data=self.request.data if data is None else data, context=self.get_serializer_context()
        )
        serializer.is_valid(raise_exception=True)
        return serializer.validated_data


class ShopList(mixins.ListModelMixin, ShopEndpoint):
    """A paginated list of the shop's rows ({"count", "next", "previous", "results"})."""

    def paginated(self, rows):
        page = self.paginate_queryset(rows)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)


class ObjectAction(ShopEndpoint):
    """POST shops/<slug>/<area>/<id>/<action>: one registry action on one of the shop's objects.

    Subclasses set `action` (a registry key), `find` (a selector taking the membership and the id),
    `serializer_class` (the answer), `input_serializer` (or None) and `perform(obj, data)`.
    When `perform` answers a row of the object's model, the answer is that object read again through
    `find`, as GET reads it.
    """

    action: str = ""
    input_serializer = None
    # The 409 codes of the action: {"order_not_shippable": "Only a pending order can be shipped."}.
    conflicts: dict[str, str] = {}

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        if cls.action:
            cls.required_grant = ACTIONS[cls.action].grant
            cls.error_codes_by_method = {"POST": {409: cls.conflicts}} if cls.conflicts else {}

            def post(self, request, slug, pk):
                find = type(self).find
                obj = find(self.membership, pk)
                data = self.valid(self.input_serializer) if self.input_serializer else {}
                done = self.perform(obj, data)
                # Services answer the row they locked; the answer is read as GET reads it (with the
                # selector's annotations, such as an affiliate plan's creator counts).
                return self.output(find(self.membership, pk) if isinstance(done, type(obj)) else done)

            post.__doc__ = str(ACTIONS[cls.action].label) + "."
            cls.post = extend_schema(
                request=cls.input_serializer,
                responses={200: cls.serializer_class},
                summary=str(ACTIONS[cls.action].label),
            )(post)

    def perform(self, obj, data):
        raise NotImplementedError


def filtered_status(request, choices) -> str | None:
    """The ?status= of a list, or None; 400 for a status the list does not have."""
    value = request.query_params.get("status") or None
    if value is not None and value not in choices.values:
        raise serializers.ValidationError(
            {"status": [_("Choose one of: %(choices)s.") % {"choices": ", ".join(choices.values)}]}
        )
    return value


# What the money path answers besides the usual (SPEC §6a).
MONEY_REFUSALS = {
    403: {
        "step_up_required": "No valid code came with the request: send a code from the authenticator "
        "app or a recovery code that approves this action (the detail names what it approves).",
        "two_step_enrolment_required": "The owner must turn on two-step verification first.",
    },
    429: {"throttled": "Too many wrong codes: wait for Retry-After seconds."},
}
