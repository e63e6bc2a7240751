"""Customer service (customer_service.reply): open a conversation with a buyer, reply, close, reopen.

Messages are stored and shown in the conversation; nothing is sent to the buyer by e-mail.
"""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from commerce.errors import StateConflict
from commerce.models import Conversation, ConversationStatus, Message, MessageSender
from commerce.services.common import collect, move, text


@transaction.atomic
def open_conversation(shop, *, buyer_name, subject, body, by) -> Conversation:
    """A new conversation with a buyer, starting with the shop's first message."""
    cleaned = collect(
        ("buyer_name", lambda: text(buyer_name, field="buyer_name", max_length=120)),
        ("subject", lambda: text(subject, field="subject", max_length=200)),
        ("body", lambda: text(body, field="body", max_length=4000, multiline=True)),
    )
    body = cleaned.pop("body")
    conversation = Conversation.objects.create(shop=shop, **cleaned)
    Message.objects.create(conversation=conversation, sender=MessageSender.SHOP, author=by, body=body)
    return conversation


@transaction.atomic
def reply(conversation: Conversation, *, body, by) -> Message:
    """The shop's reply, stored in the conversation; StateConflict "conversation_closed" when closed."""
    body = text(body, field="body", max_length=4000, multiline=True)
    conversation = Conversation.objects.select_for_update().get(pk=conversation.pk)
    if conversation.status != ConversationStatus.OPEN:
        raise StateConflict(_("This conversation is closed: reopen it to reply."), code="conversation_closed")
    message = Message.objects.create(
        conversation=conversation, sender=MessageSender.SHOP, author=by, body=body
    )
    conversation.updated = timezone.now()
    conversation.save(update_fields=["updated"])
    return message


@transaction.atomic
def close_conversation(conversation: Conversation) -> Conversation:
    conversation = Conversation.objects.select_for_update().get(pk=conversation.pk)
    move(conversation, "close", code="conversation_closed", message=_("This conversation is already closed."))
    conversation.save(update_fields=["status"])
    return conversation


@transaction.atomic
def reopen_conversation(conversation: Conversation) -> Conversation:
    conversation = Conversation.objects.select_for_update().get(pk=conversation.pk)
    move(conversation, "reopen", code="conversation_open", message=_("This conversation is already open."))
    conversation.save(update_fields=["status"])
    return conversation
