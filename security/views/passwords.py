"""Pages that set a password: change and reset by e-mail."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render


@login_required
def password_change(request):
    return render(request, "security/account_security.html")


def password_reset(request):
    return render(request, "security/account_security.html")
