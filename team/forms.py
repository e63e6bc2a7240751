"""Forms of the team pages. They check shape and length; the rules (roles, domains, members already
in, passwords) are the services', whose ValidationErrors land on the same fields."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from permissions.registry import ROLE_CHOICES, ROLES
from security.forms import NewPasswordForm
from team.preview import role_grants


class RoleCheckboxes(forms.CheckboxSelectMultiple):
    """Role boxes that carry their grants (data-grants) for the live preview."""

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        if value in ROLES:
            option["attrs"]["data-grants"] = role_grants(value)
            option["summary"] = ROLES[value].summary
        return option


def roles_field() -> forms.MultipleChoiceField:
    return forms.MultipleChoiceField(
        choices=ROLE_CHOICES,
        widget=RoleCheckboxes(attrs={"data-role-box": ""}),
        error_messages={"required": gettext_lazy("Choose at least one role.")},
    )


class InviteForm(forms.Form):
    email = forms.EmailField(
        label=gettext_lazy("E-mail address"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "off", "autofocus": True}),
    )
    roles = roles_field()


class MemberRolesForm(forms.Form):
    roles = roles_field()


def clean_shop_name(value: str) -> str:
    name = " ".join(value.split())
    if len(name) < 2:
        raise ValidationError(_("Give the shop a name of at least 2 characters."), code="min_length")
    if not name.isprintable():
        raise ValidationError(_("Use letters, digits, spaces and punctuation only."), code="invalid")
    return name


class NewShopForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Shop name"), max_length=120)

    def clean_name(self):
        return clean_shop_name(self.cleaned_data["name"])


class SignupForm(NewPasswordForm):
    """E-mail, shop name and a password typed twice (SPEC §4's rules run in the service)."""

    email = forms.EmailField(
        label=gettext_lazy("E-mail address"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email", "autofocus": True}),
    )
    shop_name = forms.CharField(label=gettext_lazy("Shop name"), max_length=120)
    field_order = ["email", "shop_name", "new_password", "new_password_again"]

    def clean_shop_name(self):
        return clean_shop_name(self.cleaned_data["shop_name"])


class NewMemberForm(NewPasswordForm):
    """A new person accepting an invitation: their names and a password typed twice."""

    first_name = forms.CharField(
        label=gettext_lazy("First name"),
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "given-name"}),
    )
    last_name = forms.CharField(
        label=gettext_lazy("Last name"),
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "family-name"}),
    )
    field_order = ["first_name", "last_name", "new_password", "new_password_again"]

    def clean(self):
        data = super().clean()
        for field in ("first_name", "last_name"):
            value = " ".join(data.get(field, "").split())
            if field in data and not value.isprintable():
                self.add_error(field, _("Use letters, spaces and punctuation only."))
            data[field] = value
        return data


class SignupConfirmForm(forms.Form):
    password = forms.CharField(
        max_length=4096,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password", "autofocus": True}),
    )


class InviteDomainsForm(forms.Form):
    invite_domains = forms.CharField(
        label=gettext_lazy("Your company's e-mail domains"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "placeholder": "example.com"}),
        help_text=gettext_lazy("One per line, or separated by commas. Leave empty to invite any address."),
    )


class ShopTwoStepForm(forms.Form):
    require = forms.BooleanField(required=False)


class ResetTwoStepForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Why (optional, shown to the member)"),
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs={"placeholder": gettext_lazy("Lost their phone and recovery codes")}),
    )


def add_service_errors(form: forms.Form, error: ValidationError, *, rename: dict | None = None) -> None:
    """Put a service's ValidationError on the form's fields (`rename` maps service field names)."""
    rename = rename or {}
    if not hasattr(error, "error_dict"):
        form.add_error(rename.get(None), error)
        return
    for field, errors in error.error_dict.items():
        target = rename.get(field, field)
        form.add_error(target if target in form.fields else None, errors)
