from django import forms
from django.utils.translation import gettext_lazy as _

from fangkong.healthcode.choices import Colour, RiskLevel


class OverrideForm(forms.Form):
    colour = forms.ChoiceField(label=_("colour"), choices=Colour.choices)
    reason = forms.CharField(label=_("written reason"), widget=forms.Textarea(attrs={"rows": 3}))
    until = forms.DateField(
        label=_("until"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )


class ArrivalForm(forms.Form):
    origin = forms.CharField(label=_("from"), max_length=100)
    risk_level = forms.ChoiceField(  # empty: the risk-area list decides (issue #19)
        label=_("risk"), choices=[("", "—"), *RiskLevel.choices], required=False
    )
    arrived_on = forms.DateField(
        label=_("arrived on"), widget=forms.DateInput(attrs={"type": "date"})
    )


class VerifyForm(forms.Form):
    token = forms.CharField(label=_("scanned health code"), max_length=200)
