"""Page forms: thin shells around the actions, which do the validating."""

import uuid

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from fangkong.core.formfields import checkboxes, date_field
from fangkong.core.forms import ActionErrorsMixin
from fangkong.geo.picker import JurisdictionField
from fangkong.observation.choices import PlaceKind, Reason, ReporterKind, Status, Symptom
from fangkong.people.pickers import person_field


class CheckInForm(ActionErrorsMixin, forms.Form):
    """Temperature and symptoms; `client_id` is minted when the form is drawn, so a
    double tap or a resend stores the reading once."""

    client_id = forms.UUIDField(widget=forms.HiddenInput)
    temperature = forms.CharField(
        label=_("Temperature (°C)"),
        max_length=6,
        widget=forms.TextInput(
            attrs={"inputmode": "decimal", "autocomplete": "off", "placeholder": "36.5"}
        ),
    )
    symptoms = checkboxes(label=_("Symptoms today"), choices=Symptom.choices, required=False)
    other_symptom = forms.CharField(label=_("Other symptom"), max_length=100, required=False)
    reporter_kind = forms.ChoiceField(label=_("Reported by"), choices=ReporterKind.choices)

    def __init__(self, *args, reporter_choices=None, **kwargs):  # type: ignore[no-untyped-def]
        kwargs.setdefault("initial", {}).setdefault("client_id", uuid.uuid4())
        super().__init__(*args, **kwargs)
        if reporter_choices:
            self.fields["reporter_kind"].choices = [
                c for c in ReporterKind.choices if c[0] in reporter_choices
            ]
            self.fields["reporter_kind"].initial = reporter_choices[0]


class StartPeriodForm(ActionErrorsMixin, forms.Form):
    person = person_field()
    reason = forms.ChoiceField(label=_("Reason"), choices=Reason.choices)
    last_exposure = date_field(label=_("Last exposure or arrival"))
    start_date = date_field(label=_("Start"), required=False)
    room: forms.ModelChoiceField = forms.ModelChoiceField(
        label=_("Site room (empty: home observation)"), queryset=None, required=False
    )
    site: forms.ModelChoiceField = forms.ModelChoiceField(
        label=_("Or send to a quarantine site (the site assigns the room)"),
        queryset=None,
        required=False,
    )

    def __init__(self, *args, rooms=None, sites=None, **kwargs):  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self.fields["room"].queryset = rooms  # type: ignore[attr-defined]
        self.fields["site"].queryset = sites  # type: ignore[attr-defined]

    def clean(self):  # type: ignore[no-untyped-def]
        data = super().clean()
        if data.get("room") is not None and data.get("site") is not None:
            self.add_error("site", _("choose a room or a site, not both"))
        return data


class ExposureForm(ActionErrorsMixin, forms.Form):
    day = date_field(label=_("New exposure on"))


class MoveForm(ActionErrorsMixin, forms.Form):
    kind = forms.ChoiceField(label=_("Place"), choices=PlaceKind.choices)
    room: forms.ModelChoiceField = forms.ModelChoiceField(
        label=_("Room"), queryset=None, required=False
    )
    note = forms.CharField(label=_("Note"), max_length=200, required=False)

    def __init__(self, *args, rooms=None, **kwargs):  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self.fields["room"].queryset = rooms  # type: ignore[attr-defined]


class FreeRoomField(forms.ModelChoiceField):
    """A room picked from those with a free bed, each named with its free beds."""

    def label_from_instance(self, obj):  # type: ignore[no-untyped-def]
        return _("%(room)s (%(n)s free)") % {"room": obj.number, "n": obj.free}


class AdmitForm(ActionErrorsMixin, forms.Form):
    """The room a site gives a person sent to it: a choice of its free rooms only."""

    room = FreeRoomField(label=_("Room"), queryset=None, empty_label=None)

    def __init__(self, *args, rooms=None, **kwargs):  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self.fields["room"].queryset = rooms  # type: ignore[attr-defined]


class SendForm(ActionErrorsMixin, forms.Form):
    """The site a person under observation is sent to (the site assigns the room)."""

    site: forms.ModelChoiceField = forms.ModelChoiceField(label=_("Quarantine site"), queryset=None)

    def __init__(self, *args, sites=None, **kwargs):  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self.fields["site"].queryset = sites  # type: ignore[attr-defined]


class ReleaseForm(ActionErrorsMixin, forms.Form):
    negative_test_on = date_field(label=_("Negative test on"), required=False)


class EndForm(ActionErrorsMixin, forms.Form):
    status = forms.ChoiceField(
        label=_("End as"),
        choices=[
            (Status.TRANSFERRED_OUT, Status.TRANSFERRED_OUT.label),
            (Status.LOST, Status.LOST.label),
        ],
    )
    note = forms.CharField(label=_("Note"), max_length=200, required=False)


class SiteForm(ActionErrorsMixin, forms.Form):
    name = forms.CharField(label=pgettext_lazy("name of a thing", "Name"), max_length=100)
    address = forms.CharField(label=_("Address"), max_length=200)
    node_code = JurisdictionField(label=_("Jurisdiction"))


class RoomsForm(ActionErrorsMixin, forms.Form):
    numbers = forms.CharField(label=_("Room numbers (comma-separated, or 101-120)"), max_length=500)
    capacity = forms.IntegerField(label=_("Persons per room"), min_value=1, max_value=20, initial=1)

    def clean_numbers(self) -> list[str]:
        out: list[str] = []
        for part in self.cleaned_data["numbers"].replace("，", ",").split(","):
            part = part.strip()
            if "-" in part and all(x.strip().isdigit() for x in part.split("-", 1)):
                a, b = (int(x) for x in part.split("-", 1))
                if b < a or b - a > 500:
                    raise forms.ValidationError(_("a range runs from low to high, at most 500"))
                out += [str(n) for n in range(a, b + 1)]
            elif part:
                out.append(part[:20])
        if not out:
            raise forms.ValidationError(_("this field is required"))
        return out


class RulesForm(ActionErrorsMixin, forms.Form):
    effective_from = date_field(label=_("Effective from"))
    days = forms.IntegerField(label=_("Observation days"), min_value=1, max_value=60, initial=14)
    morning_start = forms.TimeField(label=_("Morning window opens"), initial="06:00")
    morning_end = forms.TimeField(label=_("Morning window closes"), initial="12:00")
    evening_start = forms.TimeField(label=_("Evening window opens"), initial="16:00")
    evening_end = forms.TimeField(label=_("Evening window closes"), initial="22:00")
    fever_threshold = forms.DecimalField(label=_("Fever threshold (°C)"), initial="37.3")
    min_temperature = forms.DecimalField(label=_("Lowest valid reading (°C)"), initial="34.0")
    max_temperature = forms.DecimalField(label=_("Highest valid reading (°C)"), initial="43.0")
    referral_symptoms = checkboxes(
        label=_("Symptoms that refer to a fever clinic"),
        choices=Symptom.choices,
        initial=["fever", "cough", "shortness_of_breath", "diarrhoea"],
    )
    negative_test_required = forms.BooleanField(
        label=_("Negative test required at release"), required=False
    )
    note = forms.CharField(label=_("Source / note"), max_length=200, required=False)
