"""Support staff's view of security state: sessions they may end, recent failed sign-ins."""

from django.contrib import admin
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_otp.plugins.otp_email.models import EmailDevice
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from audit.events import RequestContext
from security import sessions
from security.models import LoginFailure, UserSession


def _end(request, rows) -> int:
    return sessions.end_by_staff(rows, by=request.user, context=RequestContext.from_request(request))


@admin.register(UserSession)
class UserSessionAdmin(admin.ModelAdmin):
    """Staff may end a session: the row and the Django session go together, so it is signed out."""

    list_display = ["user", "device", "ip", "created", "last_seen"]
    search_fields = ["user__email", "ip"]
    list_select_related = ["user"]
    readonly_fields = ["user", "device", "ip", "user_agent", "created", "last_seen"]
    exclude = ["session_key"]
    actions = ["end_sessions"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def get_actions(self, request):
        # The built-in bulk delete would skip delete_model(); "End sessions" replaces it.
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions

    def delete_model(self, request, obj):
        _end(request, [obj])

    @admin.action(description=gettext_lazy("End the selected sessions"), permissions=["delete"])
    def end_sessions(self, request, queryset):
        ended = _end(request, queryset.select_related("user"))
        self.message_user(request, _("Ended %(count)d session(s).") % {"count": ended})


@admin.register(LoginFailure)
class LoginFailureAdmin(admin.ModelAdmin):
    """Recent failed sign-ins, to read. A lockout is lifted early only through a recovery case, which
    records it and tells the account (SPEC §8)."""

    list_display = ["created", "account", "ip", "from_known_device"]
    search_fields = ["account", "ip"]
    list_filter = [("created", admin.DateFieldListFilter)]
    readonly_fields = ["account", "ip", "from_known_device", "created"]
    exclude = ["device"]

    @admin.display(boolean=True, description=gettext_lazy("from a known browser"))
    def from_known_device(self, failure):
        return bool(failure.device)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


# django-otp's own admin pages show each device's secret key and QR code: nobody, support staff
# included, needs to read them. Turning a person's 2SV off is a recovery step, not an admin edit.
for _device_model in (TOTPDevice, StaticDevice, EmailDevice):
    if admin.site.is_registered(_device_model):
        admin.site.unregister(_device_model)
