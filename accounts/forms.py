from django import forms


class AntiPhishingPhraseForm(forms.Form):
    phrase = forms.CharField(
        max_length=64,
        required=False,
        label="Anti-phishing phrase",
        help_text="Words only you know, shown in every e-mail we send. Leave empty to remove it.",
    )

    def clean_phrase(self):
        phrase = " ".join(self.cleaned_data["phrase"].split())
        if phrase and not phrase.isprintable():
            raise forms.ValidationError("Use letters, digits, spaces and punctuation only.", code="invalid")
        return phrase
