"""Buyer conversations in the messenger. Replies are stored and shown here; nothing is mailed to buyers."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy
from django_fsm import FSMField, transition

from accounts.models import Shop
from commerce.models.common import status_valid


class ConversationStatus(models.TextChoices):
    OPEN = "open", gettext_lazy("Open")
    CLOSED = "closed", gettext_lazy("Closed")


class Conversation(models.Model):
    """A buyer's thread with the shop in the messenger."""

    shop = models.ForeignKey(Shop, on_delete=models.CASCADE, related_name="conversations")
    buyer_name = models.CharField(max_length=120)
    subject = models.CharField(max_length=200)
    status = FSMField(max_length=16, choices=ConversationStatus.choices, default=ConversationStatus.OPEN)
    updated = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-updated", "-id"]
        constraints = [status_valid("conversation", ConversationStatus)]

    def __str__(self):
        return f"{self.subject} ({self.buyer_name})"

    @transition(field=status, source=ConversationStatus.OPEN, target=ConversationStatus.CLOSED)
    def close(self):
        pass

    @transition(field=status, source=ConversationStatus.CLOSED, target=ConversationStatus.OPEN)
    def reopen(self):
        pass


class MessageSender(models.TextChoices):
    BUYER = "buyer", gettext_lazy("Buyer")
    SHOP = "shop", gettext_lazy("Shop")


class Message(models.Model):
    """One message in a conversation; its shop is the conversation's, so the two cannot disagree."""

    conversation = models.ForeignKey(Conversation, on_delete=models.CASCADE, related_name="messages")
    sender = models.CharField(max_length=8, choices=MessageSender.choices)
    # The member who replied for the shop; the message stays when they later leave it.
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    body = models.TextField(max_length=4000)
    created = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(sender__in=MessageSender.values), name="message_sender_valid"),
        ]

    def __str__(self):
        return f"{self.get_sender_display()}: {self.body[:40]}"
