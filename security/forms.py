from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import PREFERABLE_METHODS
from audit.models import EventKind


class LoginForm(forms.Form):
    email = forms.EmailField(
        max_length=254, widget=forms.EmailInput(attrs={"autocomplete": "username", "autofocus": True})
    )
    password = forms.CharField(
        max_length=4096, strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "current-password"})
    )


class CodeForm(forms.Form):
    code = forms.CharField(
        max_length=64,
        strip=True,
        widget=forms.TextInput(
            # Not inputmode="numeric": the same field takes recovery codes, which have letters.
            attrs={
                "autocomplete": "one-time-code",
                "autocapitalize": "off",
                "spellcheck": "false",
                "autofocus": True,
            }
        ),
    )


class PreferredMethodForm(forms.Form):
    method = forms.ChoiceField(choices=PREFERABLE_METHODS, widget=forms.RadioSelect)


def _password_field(autocomplete: str, **attrs) -> forms.CharField:
    # strip=False: spaces are legal characters of a password. The generous bound keeps hashing cheap;
    # the rules answer "at most 128" with a clear message below it.
    return forms.CharField(
        max_length=4096,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": autocomplete, **attrs}),
    )


class NewPasswordForm(forms.Form):
    """A new password typed twice; the rules themselves run in the service."""

    new_password = _password_field("new-password", **{"aria-describedby": "password-rules"})
    new_password_again = _password_field("new-password")

    def clean(self):
        data = super().clean()
        new, again = data.get("new_password"), data.get("new_password_again")
        if new is not None and again is not None and new != again:
            self.add_error("new_password_again", _("The two new passwords differ. Type the same one twice."))
        return data


class ConfirmPasswordForm(forms.Form):
    """The current password, to confirm it is you before two-step settings change."""

    password = _password_field("current-password", autofocus=True)


class PasswordChangeForm(NewPasswordForm):
    current_password = _password_field("current-password", autofocus=True)
    field_order = ["current_password", "new_password", "new_password_again"]


class PasswordResetRequestForm(forms.Form):
    email = forms.EmailField(
        max_length=254, widget=forms.EmailInput(attrs={"autocomplete": "email", "autofocus": True})
    )


class EventFilterForm(forms.Form):
    """The security log's filters: kind and a date range (inclusive, in the viewer's time zone), all
    optional. The kinds offered are `kinds`, those that appear in this log; a kind from a saved
    address that no longer appears is kept, and matches nothing."""

    kind = forms.ChoiceField(
        choices=[("", gettext_lazy("All events"))], required=False, label=gettext_lazy("Event")
    )
    date_from = forms.DateField(required=False, label=gettext_lazy("From"))
    date_to = forms.DateField(required=False, label=gettext_lazy("To"))

    def __init__(self, *args, kinds=(), **kwargs):
        super().__init__(*args, **kwargs)
        offered = set(kinds)
        selected = self.data.get("kind") if self.is_bound else None
        if selected in EventKind.values:
            offered.add(selected)
        choices = sorted(
            ((kind.value, kind.label) for kind in EventKind if kind.value in offered), key=lambda c: c[1]
        )
        self.fields["kind"].choices = [("", _("All events")), *choices]

    def clean(self):
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            raise forms.ValidationError(
                _("The start date must not be after the end date."), code="date_range"
            )
        return data


class EmailChangeForm(forms.Form):
    new_email = forms.EmailField(
        max_length=254,
        label=gettext_lazy("New e-mail address"),
        error_messages={"invalid": gettext_lazy("Enter a valid e-mail address, such as name@example.com.")},
        widget=forms.EmailInput(attrs={"autocomplete": "email", "autofocus": True}),
    )
