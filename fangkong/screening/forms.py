"""Forms of the screening pages; they parse input, the actions validate and write."""

import uuid

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from fangkong.core.formfields import date_field, text_box
from fangkong.geo.picker import JurisdictionField
from fangkong.screening.choices import FIELDS, Contact, Health, Outcome, SourceKind
from fangkong.screening.models import ListSource


class UploadForm(forms.Form):
    source = forms.ModelChoiceField(label=_("Source"), queryset=ListSource.objects.none())
    file = forms.FileField(label=_("File (XLSX, XLS or CSV)"))

    def __init__(self, *args, sources=None, **kwargs):  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        if sources is not None:
            self.fields["source"].queryset = sources  # type: ignore[attr-defined]


class SourceForm(forms.Form):
    name = forms.CharField(label=pgettext_lazy("name of a thing", "Name"), max_length=80)
    kind = forms.ChoiceField(label=_("Kind"), choices=SourceKind.choices)

    def __init__(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        for key, label in FIELDS.items():
            self.fields[f"col_{key}"] = forms.CharField(
                label=_("Column for: %s") % label, required=False, max_length=60
            )

    def column_map(self) -> dict[str, str]:
        return {k: self.cleaned_data.get(f"col_{k}") or "" for k in FIELDS}


class VisitForm(forms.Form):
    """The screening record (“十清晰”, R19); `client_id` makes a retry harmless."""

    client_id = forms.UUIDField(widget=forms.HiddenInput, initial=uuid.uuid4)
    identity_checked = forms.BooleanField(label=_("Identity clear"), required=False)
    phone_checked = forms.BooleanField(label=_("Phone clear"), required=False)
    address_checked = forms.BooleanField(label=_("Address clear"), required=False)
    origin_checked = forms.BooleanField(label=_("Origin clear"), required=False)
    arrival_checked = forms.BooleanField(label=_("Arrival time clear"), required=False)
    transport_checked = forms.BooleanField(label=_("Transport and number clear"), required=False)
    itinerary = text_box(rows=2, label=_("Itinerary (14 days)"), required=False)
    contact = forms.ChoiceField(label=_("Contact with cases"), choices=Contact.choices)
    health = forms.ChoiceField(label=_("Health"), choices=Health.choices)
    temperature = forms.DecimalField(
        label=_("Temperature (°C)"), required=False, min_value=34, max_value=43, decimal_places=1
    )
    measures = forms.CharField(label=_("Measures taken"), required=False, max_length=200)
    household_members = forms.IntegerField(
        label=_("Household members"), min_value=1, max_value=30, initial=1
    )
    outcome = forms.ChoiceField(label=_("Outcome"), choices=Outcome.choices)
    new_address = forms.CharField(label=_("New address (if moved)"), required=False, max_length=200)
    notes = forms.CharField(label=_("Notes"), required=False, max_length=300)


class TransferForm(forms.Form):
    to_code = JurisdictionField(
        label=_("Village or grid"), required=False, levels=("village", "grid"), scope="all"
    )
    address = forms.CharField(label=_("Or the new address"), required=False, max_length=200)
    reason = forms.CharField(label=_("Reason"), required=False, max_length=200)

    def clean(self):  # type: ignore[no-untyped-def]
        data = super().clean()
        if not data.get("to_code") and not data.get("address"):
            raise forms.ValidationError(_("Choose a village or grid, or give an address."))
        return data


class AssignForm(forms.Form):
    """The town picks the village or grid by name: from a list with the candidates first,
    or — where the queue holds more places than a list can offer — with the jurisdiction
    picker over the queue's villages and grids in the user's area (`user`, `queue`): it
    takes and suggests no place the assignment would refuse."""

    to_code = forms.ChoiceField(label=_("Village or grid"))

    def __init__(self, *args, choices=(), user=None, queue=None, **kwargs):  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        if queue is not None:
            picker = JurisdictionField(label=_("Village or grid"), levels=("village", "grid"))
            picker.user = user
            picker.under(queue)
            self.fields["to_code"] = picker
        else:
            self.fields["to_code"].choices = list(choices)  # type: ignore[attr-defined]


class AliasForm(forms.Form):
    text = forms.CharField(label=_("Estate, building or street name"), max_length=60)
    to_code = JurisdictionField(label=_("Village or grid"), levels=("village", "grid"))


class DeclarationForm(forms.Form):
    """The public self-declaration (R14): who, from where, when, where they stay."""

    name = forms.CharField(label=_("Name"), max_length=50)
    id_number = forms.CharField(label=_("Resident ID"), max_length=18, required=False)
    phone = forms.CharField(label=_("Mobile phone"), max_length=20)
    origin = forms.CharField(label=_("Coming from (province/city/county)"), max_length=100)
    arrival_date = date_field(label=_("Arrival date"))
    arrival_time = forms.TimeField(
        label=_("Arrival time"), required=False, widget=forms.TimeInput(attrs={"type": "time"})
    )
    transport = forms.CharField(label=_("Transport"), max_length=40, required=False)
    transport_no = forms.CharField(label=_("Train / flight / plate"), max_length=40, required=False)
    address = forms.CharField(label=_("Where you stay in Shaoxing"), max_length=200)
    code = forms.CharField(
        label=_("Code sent to your phone"),
        max_length=12,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code"}),
    )
