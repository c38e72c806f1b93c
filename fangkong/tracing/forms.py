"""Forms of the investigator and gate pages; they parse, the actions decide."""

from django import forms
from django.utils.translation import gettext_lazy as _

from fangkong.core.formfields import date_field
from fangkong.tracing.choices import Direction, Setting, TransportKind, VenueKind


class ContactForm(forms.Form):
    name = forms.CharField(label=_("name"), max_length=50)
    address = forms.CharField(label=_("address"), max_length=200, required=False)
    phone = forms.CharField(label=_("mobile phone"), max_length=15, required=False)
    setting = forms.ChoiceField(label=_("setting"), choices=Setting.choices)
    transport_kind = forms.ChoiceField(
        label=_("transport"), choices=[("", "—"), *TransportKind.choices], required=False
    )
    transport_no = forms.CharField(label=_("train / flight / coach number"), required=False)
    seat = forms.CharField(label=_("seat"), required=False)
    first_exposure = date_field(label=_("first exposure"))
    last_exposure = date_field(label=_("last exposure"))
    proximity_m = forms.DecimalField(label=_("distance (m)"), required=False, min_value=0)
    protected = forms.BooleanField(label=_("effective protection worn"), required=False)


class VenueForm(forms.Form):
    name = forms.CharField(label=_("name"), max_length=100)
    kind = forms.ChoiceField(label=_("kind"), choices=VenueKind.choices)
    address = forms.CharField(label=_("address"), max_length=200, required=False)


class GateForm(forms.Form):
    token = forms.CharField(label=_("scanned health code"), max_length=200)
    direction = forms.ChoiceField(
        label=_("direction"), choices=[c for c in Direction.choices if c[0] != "visit"]
    )
    temperature = forms.DecimalField(label=_("temperature (°C)"), required=False, decimal_places=1)
    client_id = forms.UUIDField(widget=forms.HiddenInput)


class GateTailForm(forms.Form):
    """The gate without a code: the last four characters of the resident ID."""

    id_tail = forms.CharField(
        label=_("last 4 digits of the resident ID"),
        min_length=4,
        max_length=4,
        widget=forms.TextInput(
            attrs={"inputmode": "numeric", "autocomplete": "off", "pattern": "[0-9]{3}[0-9Xx]"}
        ),
    )
    name = forms.CharField(label=_("name (optional)"), max_length=40, required=False)


class GatePickForm(forms.Form):
    """The resident picked from the candidates, with the gate's own fields."""

    person = forms.IntegerField(widget=forms.HiddenInput)
    direction = GateForm.base_fields["direction"]
    temperature = GateForm.base_fields["temperature"]
    client_id = forms.UUIDField(widget=forms.HiddenInput)
