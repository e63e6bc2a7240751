from django import forms


class CodeForm(forms.Form):
    code = forms.CharField(
        max_length=64,
        strip=True,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
    )


class PreferredMethodForm(forms.Form):
    method = forms.ChoiceField(
        choices=[("totp", "Authenticator app"), ("email", "E-mail code (a fallback for signing in)")],
        widget=forms.RadioSelect,
    )


class ShopTwoStepForm(forms.Form):
    require = forms.BooleanField(required=False)
