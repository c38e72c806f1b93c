from django import forms
from django.utils.translation import gettext_lazy as _

from fangkong.core.formfields import date_field, text_box
from fangkong.healthcode.choices import Colour, RiskLevel


class OverrideForm(forms.Form):
    colour = forms.ChoiceField(label=_("colour"), choices=Colour.choices)
    reason = text_box(rows=3, label=_("written reason"))
    until = date_field(label=_("until"), required=False)


class ArrivalForm(forms.Form):
    origin = forms.CharField(label=_("from"), max_length=100)
    risk_level = forms.ChoiceField(  # empty: the risk-area list decides (issue #19)
        label=_("risk"), choices=[("", "—"), *RiskLevel.choices], required=False
    )
    arrived_on = date_field(label=_("arrived on"))


class VerifyForm(forms.Form):
    token = forms.CharField(label=_("scanned health code"), max_length=200)
