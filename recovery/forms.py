from django import forms
from django.utils.translation import gettext_lazy

from recovery.models import DocumentKind
from recovery.services.cases import DESCRIPTION_MAX_LENGTH


class RecoveryRequestForm(forms.Form):
    account_email = forms.EmailField(
        label=gettext_lazy("The e-mail address of the account"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "username", "autofocus": True}),
    )
    contact_email = forms.EmailField(
        label=gettext_lazy("An e-mail address you control now"),
        max_length=254,
        help_text=gettext_lazy(
            "We send the upload link and every update here. Use an address nobody else can read."
        ),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    description = forms.CharField(
        label=gettext_lazy("What happened?"),
        max_length=DESCRIPTION_MAX_LENGTH,
        help_text=gettext_lazy(
            "When you lost access, what you noticed, and anything that changed (for example the payout "
            "account). Never write a password or a code here."
        ),
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    make_sign_in_address = forms.BooleanField(
        label=gettext_lazy("Make this contact address my sign-in address once the account is back"),
        required=False,
    )


class StatusForm(forms.Form):
    reference = forms.RegexField(
        label=gettext_lazy("Case reference"),
        regex=r"^\s*[Rr][Cc]-?[0-9A-Za-z]{4}-?[0-9A-Za-z]{4}\s*$",
        max_length=20,
        error_messages={
            "invalid": gettext_lazy("A case reference looks like RC-7K4M-Q2XD: check the e-mail we sent.")
        },
        widget=forms.TextInput(attrs={"autocapitalize": "characters", "spellcheck": "false"}),
    )
    contact_email = forms.EmailField(label=gettext_lazy("The contact address you gave"), max_length=254)

    def clean_reference(self):
        code = "".join(c for c in self.cleaned_data["reference"].upper() if c.isalnum())[2:]
        return f"RC-{code[:4]}-{code[4:]}"


class DocumentForm(forms.Form):
    kind = forms.ChoiceField(label=gettext_lazy("What is it?"), choices=DocumentKind.choices)
    file = forms.FileField(
        label=gettext_lazy("File (PDF, JPEG or PNG, at most 10 MB)"),
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,image/jpeg,image/png"}),
    )
