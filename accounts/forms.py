"""The forms of Account Information: the person's details and the anti-phishing phrase."""

from django import forms
from django.utils.translation import gettext_lazy

from accounts.time_zones import time_zone_choices
from accounts.validators import PHRASE_MAX_LENGTH, clean_anti_phishing_phrase, validate_date_of_birth


class ProfileForm(forms.Form):
    """Names, birth date and time zone; the e-mail address changes through its own, guarded flow."""

    first_name = forms.CharField(
        max_length=150, required=False, widget=forms.TextInput(attrs={"autocomplete": "given-name"})
    )
    last_name = forms.CharField(
        max_length=150, required=False, widget=forms.TextInput(attrs={"autocomplete": "family-name"})
    )
    date_of_birth = forms.DateField(
        required=False,
        label=gettext_lazy("Date of birth"),
        validators=[validate_date_of_birth],
        widget=forms.DateInput(
            format="%Y-%m-%d", attrs={"type": "date", "autocomplete": "bday", "aria-describedby": "dob-why"}
        ),
    )
    time_zone = forms.ChoiceField(
        choices=time_zone_choices,
        label=gettext_lazy("Time zone"),
        widget=forms.Select(attrs={"aria-describedby": "time-zone-help"}),
    )


class AntiPhishingPhraseForm(forms.Form):
    # The length is checked once spaces are folded (clean_anti_phishing_phrase), in one message.
    phrase = forms.CharField(
        required=False,
        label=gettext_lazy("Anti-phishing phrase"),
        help_text=gettext_lazy(
            "Words only you know, shown in every e-mail we send. Leave empty to remove it."
        ),
        widget=forms.TextInput(
            attrs={
                "autocomplete": "off",
                "maxlength": PHRASE_MAX_LENGTH,
                "aria-describedby": "id_phrase_helptext",
            }
        ),
    )

    def clean_phrase(self):
        return clean_anti_phishing_phrase(self.cleaned_data["phrase"])
