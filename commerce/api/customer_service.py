"""shops/<slug>/customer-service/conversations (+ /<id>/messages, /<id>/close, /<id>/reopen)."""

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status

from commerce import selectors
from commerce.api.base import (
    ModelSerializer,
    ObjectAction,
    ShopEndpoint,
    ShopList,
    UTCDateTimeField,
    filtered_status,
)
from commerce.models import Conversation, ConversationStatus, Message
from commerce.services import conversations as services
from permissions.registry import ACTIONS, Grant


class ConversationSerializer(ModelSerializer):
    message_count = serializers.IntegerField(required=False)
    last_message_at = UTCDateTimeField(required=False, allow_null=True)

    class Meta:
        model = Conversation
        fields = ["id", "buyer_name", "subject", "status", "updated", "message_count", "last_message_at"]
        read_only_fields = fields


class MessageSerializer(ModelSerializer):
    author = serializers.SerializerMethodField()

    class Meta:
        model = Message
        fields = ["id", "sender", "author", "body", "created"]
        read_only_fields = fields

    def get_author(self, message) -> str | None:
        return message.author.get_full_name() if message.author else None


class ConversationInput(serializers.Serializer):
    buyer_name = serializers.CharField(max_length=400, allow_blank=True)
    subject = serializers.CharField(max_length=400, allow_blank=True)
    body = serializers.CharField(max_length=8000, allow_blank=True, help_text="The shop's first message.")


class MessageInput(serializers.Serializer):
    body = serializers.CharField(max_length=8000, allow_blank=True)


class ConversationList(ShopList):
    serializer_class = ConversationSerializer
    grants_by_method = {"GET": Grant.CUSTOMER_SERVICE_VIEW, "POST": ACTIONS["customer_service.open"].grant}

    @extend_schema(parameters=[OpenApiParameter("status", enum=ConversationStatus.values)])
    def get(self, request, slug):
        """Buyer conversations, most recently active first."""
        rows = selectors.conversations_for(
            self.membership, status=filtered_status(request, ConversationStatus)
        )
        return self.paginated(rows)

    @extend_schema(request=ConversationInput, responses={201: ConversationSerializer})
    def post(self, request, slug):
        """Open a conversation with a buyer, with the shop's first message (stored, not e-mailed)."""
        conversation = services.open_conversation(self.shop, by=request.user, **self.valid(ConversationInput))
        counted = selectors.conversations_for(self.membership).get(pk=conversation.pk)
        return self.output(counted, status_code=status.HTTP_201_CREATED)


class ConversationDetail(ShopEndpoint):
    serializer_class = ConversationSerializer
    required_grant = Grant.CUSTOMER_SERVICE_VIEW

    def get(self, request, slug, pk):
        return self.output(get_object_or_404(selectors.conversations_for(self.membership), pk=pk))


class MessageList(ShopList):
    error_codes_by_method = {"POST": {409: {"conversation_closed": "Reopen the conversation to reply."}}}
    serializer_class = MessageSerializer
    grants_by_method = {"GET": Grant.CUSTOMER_SERVICE_VIEW, "POST": ACTIONS["customer_service.reply"].grant}

    def get(self, request, slug, pk):
        """The conversation's messages, oldest first."""
        conversation = selectors.conversation_for(self.membership, pk)
        return self.paginated(selectors.messages_for(self.membership, conversation.pk))

    @extend_schema(request=MessageInput, responses={201: MessageSerializer})
    def post(self, request, slug, pk):
        """Reply to the buyer: stored and shown in the conversation (409 conversation_closed)."""
        conversation = selectors.conversation_for(self.membership, pk)
        message = services.reply(conversation, by=request.user, **self.valid(MessageInput))
        return self.output(message, status_code=status.HTTP_201_CREATED)


class ConversationClose(ObjectAction):
    conflicts = {"conversation_closed": "The conversation is already closed."}
    action = "customer_service.close"
    find = staticmethod(selectors.conversation_for)
    serializer_class = ConversationSerializer

    def perform(self, conversation, data):
        return services.close_conversation(conversation)


class ConversationReopen(ObjectAction):
    conflicts = {"conversation_open": "The conversation is already open."}
    action = "customer_service.close"
    find = staticmethod(selectors.conversation_for)
    serializer_class = ConversationSerializer

    def perform(self, conversation, data):
        return services.reopen_conversation(conversation)
