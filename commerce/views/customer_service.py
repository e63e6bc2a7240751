"""Customer service pages: a conversation with its messages; open, reply, close, reopen."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from commerce import selectors
from commerce.errors import CommerceError
from commerce.forms import ConversationForm, ReplyForm, put_errors
from commerce.services import conversations as services
from commerce.views.common import act, page, refused
from permissions.registry import Grant


def _url(slug, pk):
    return reverse("commerce:conversation", args=[slug, pk])


def _conversation_page(request, conversation, form=None, status=200):
    context = {
        "conversation": conversation,
        "messages_list": list(selectors.messages_for(request.membership, conversation.pk)),
        "form": form or ReplyForm(),
    }
    return render(request, "commerce/conversation.html", context, status=status)


@page(Grant.CUSTOMER_SERVICE_VIEW)
def conversation(request, slug, pk):
    return _conversation_page(
        request, get_object_or_404(selectors.conversations_for(request.membership), pk=pk)
    )


@page("customer_service.open")
def conversation_open(request, slug):
    form = ConversationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            started = services.open_conversation(
                request.membership.shop, by=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            put_errors(form, error)
        else:
            messages.success(request, _("Conversation opened."))
            return redirect(_url(slug, started.pk))
    back = reverse("commerce:module", args=[slug, "customer-service"])
    context = {"form": form, "title": _("New conversation with a buyer"), "submit": "Send", "back": back}
    return render(request, "commerce/form.html", context, status=400 if form.errors else 200)


@require_POST
@page("customer_service.reply")
def conversation_reply(request, slug, pk):
    found = selectors.conversation_for(request.membership, pk)
    form = ReplyForm(request.POST)
    if form.is_valid():
        try:
            services.reply(found, by=request.user, **form.cleaned_data)
        except CommerceError as error:
            return refused(request, error, back=_url(slug, pk))
        except ValidationError as error:
            put_errors(form, error)
        else:
            messages.success(request, _("Reply sent: the buyer sees it in the conversation."))
            return redirect(_url(slug, pk))
    return _conversation_page(request, found, form, status=400)


@require_POST
@page("customer_service.close")
def conversation_close(request, slug, pk):
    found = selectors.conversation_for(request.membership, pk)
    return act(
        request,
        lambda: services.close_conversation(found),
        success=_("Conversation closed."),
        back=_url(slug, pk),
    )


@require_POST
@page("customer_service.close")
def conversation_reopen(request, slug, pk):
    found = selectors.conversation_for(request.membership, pk)
    return act(
        request,
        lambda: services.reopen_conversation(found),
        success=_("Conversation reopened."),
        back=_url(slug, pk),
    )
