"""The admin site support staff work in.

Only staff whose session passed the authenticator app or a recovery code get in (an e-mail code
is a sign-in fallback, not a factor for this), and every change made here asks for a fresh second
step, as sensitive actions do in the product (SPEC §6). Every ModelAdmin registered here filters
only by its declared filters and never by a hidden field (sellercenter/admin_filters.py), and a NUL
character anywhere in a request is a 400 before it can reach the database.
"""

from functools import wraps

from django.contrib import admin, messages
from django.core.exceptions import BadRequest
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_otp.plugins.otp_email.models import EmailDevice

from accounts.selectors import two_step_enabled
from security.two_step.step_up import is_fresh, step_up_url
from sellercenter.admin_filters import DeclaredFiltersOnly, hidden_field_errors

NUL_REFUSED = gettext_lazy("The request contains a NUL character, which no field of the admin accepts.")


def _has_nul(query) -> bool:
    return any("\x00" in key or any("\x00" in value for value in values) for key, values in query.lists())


class SellerCenterAdminSite(admin.AdminSite):
    site_header = gettext_lazy("Seller Center support")
    site_title = gettext_lazy("Seller Center support")
    index_title = gettext_lazy("Accounts, shops and security")

    def has_permission(self, request):
        # Support staff can suspend members and end sessions: a phished password alone, or a
        # password and the mailbox, must not reach that.
        return (
            super().has_permission(request)
            and request.user.is_verified()
            and not isinstance(request.user.otp_device, EmailDevice)
        )

    def register(self, model_or_iterable, admin_class=None, **options):
        """Register as usual, with the declared-filters rule added to the ModelAdmin."""
        admin_class = admin_class or admin.ModelAdmin
        if not issubclass(admin_class, DeclaredFiltersOnly):
            admin_class = type(
                admin_class.__name__,
                (DeclaredFiltersOnly, admin_class),
                {"__module__": admin_class.__module__, "__doc__": admin_class.__doc__},
            )
        super().register(model_or_iterable, admin_class, **options)

    def check(self, app_configs):
        return [*super().check(app_configs), *hidden_field_errors(self)]

    def admin_view(self, view, cacheable=False):
        guarded = super().admin_view(view, cacheable)

        @wraps(view)
        def fresh_for_changes(request, *args, **kwargs):
            # PostgreSQL refuses NUL in text: in a filter, a search or a form it would be a 500.
            if _has_nul(request.GET) or (request.method == "POST" and _has_nul(request.POST)):
                raise BadRequest(NUL_REFUSED)
            if (
                request.method == "POST"
                and request.path != reverse("admin:logout")
                and self.has_permission(request)
                and not is_fresh(request)
            ):
                messages.info(request, _("Confirm it is you, then make the change again."))
                return redirect(step_up_url(request.path))
            return guarded(request, *args, **kwargs)

        return fresh_for_changes

    def login(self, request, extra_context=None):
        """Staff sign in through the product's login (lockout, second step, session records)."""
        user = request.user
        if not user.is_authenticated:
            return redirect(f"{reverse('security:login')}?{request.GET.urlencode()}")
        if user.is_active and user.is_staff and not self.has_permission(request):
            if two_step_enabled(user):
                # The app is on, but this session's second step was a code sent by e-mail.
                warning = _(
                    "The support admin needs a sign-in completed with your authenticator app or a "
                    "recovery code; this session was opened with a code sent by e-mail. Sign out, sign "
                    "in again and enter the code from your app (or a recovery code), then open the "
                    "admin again."
                )
            else:
                warning = _(
                    "The support admin needs two-step verification with the authenticator app. Turn it "
                    "on, sign in again with it, then open the admin again."
                )
            messages.warning(request, warning)
            return redirect("security:account-security")
        return redirect("accounts:shops")
