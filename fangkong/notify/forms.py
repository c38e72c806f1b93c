from django import forms
from django.utils.translation import gettext_lazy as _


class PreferenceForm(forms.Form):
    sms = forms.BooleanField(label=_("Send me SMS"), required=False)
    email = forms.BooleanField(label=_("Send me email"), required=False)
    quiet_start = forms.TimeField(
        label=_("Quiet from"), required=False, widget=forms.TimeInput(attrs={"type": "time"})
    )
    quiet_end = forms.TimeField(
        label=_("Quiet until"), required=False, widget=forms.TimeInput(attrs={"type": "time"})
    )
    phone = forms.CharField(
        label=_("Mobile phone (leave empty to keep)"),
        required=False,
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
    )

    def clean_phone(self) -> str | None:
        value = self.cleaned_data.get("phone", "").strip()
        return value or None
