"""Pages for sessions and the security log."""

from django.shortcuts import render


def shop_events(request, slug):
    return render(request, "security/account_security.html")
