"""Page forms: thin shells around the actions, which do the validating."""

from django import forms
from django.utils.translation import gettext_lazy as _

from fangkong.clinical.actions.rulesets import RULE_FIELDS
from fangkong.clinical.choices import (
    BedKind,
    Disposition,
    EpiItem,
    SampleType,
    Severity,
    Source,
    Status,
    Symptom,
)
from fangkong.core.formfields import checkboxes, date_field, datetime_field
from fangkong.core.forms import ActionErrorsMixin
from fangkong.geo.picker import JurisdictionField


class FindingsForm(ActionErrorsMixin, forms.Form):
    temperature = forms.CharField(
        label=_("Temperature (°C)"),
        max_length=6,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "placeholder": "37.5"}),
    )
    symptoms = checkboxes(label=_("Symptoms"), choices=Symptom.choices, required=False)
    epi_items = checkboxes(
        label=_("Epidemiological history (14 days)"), choices=EpiItem.choices, required=False
    )
    epi_note = forms.CharField(label=_("Epidemiological details"), max_length=300, required=False)
    imaging_pneumonia = forms.BooleanField(
        label=_("Imaging: features of pneumonia"), required=False
    )
    imaging_note = forms.CharField(label=_("Imaging findings"), max_length=300, required=False)
    blood_typical = forms.BooleanField(
        label=_("Blood: normal/low white cells or low lymphocytes"), required=False
    )
    blood_note = forms.CharField(label=_("Blood findings"), max_length=300, required=False)


class VisitForm(FindingsForm):
    """Register a visit: the patient by resident ID (found or registered on the spot)."""

    facility = forms.ModelChoiceField(label=_("Fever clinic"), queryset=None)  # type: ignore[arg-type,var-annotated]
    id_number = forms.CharField(label=_("Resident ID"), max_length=18, required=False)
    name = forms.CharField(label=_("Name (if not registered)"), max_length=50, required=False)
    node_code = JurisdictionField(
        label=_("Grid or village (if not registered)"),
        required=False,
        levels=("village", "grid"),
        scope="all",
    )
    phone = forms.CharField(label=_("Mobile phone"), max_length=16, required=False)
    person_id = forms.IntegerField(widget=forms.HiddenInput, required=False)
    referral_id = forms.IntegerField(widget=forms.HiddenInput, required=False)
    task_id = forms.IntegerField(widget=forms.HiddenInput, required=False)

    field_order = ["facility", "id_number", "name", "node_code", "phone"]

    def __init__(self, *args, facilities=None, **kwargs):  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self.fields["facility"].queryset = facilities  # type: ignore[attr-defined]


class DisposeForm(forms.Form):
    disposition = forms.ChoiceField(label=_("Disposition"), choices=Disposition.choices)
    note = forms.CharField(label=_("Note / reason"), max_length=300, required=False)
    diagnosed_at = datetime_field(label=_("Diagnosis time (suspected case)"), required=False)


class ClassifyForm(forms.Form):
    status = forms.ChoiceField(label=_("Class"), choices=Status.choices)
    severity = forms.ChoiceField(
        label=_("Severity"), choices=[("", "—"), *Severity.choices], required=False
    )
    reason = forms.CharField(label=_("Reason"), max_length=500, required=False)
    diagnosed_at = datetime_field(label=_("Diagnosis time"), required=False)


class SampleForm(forms.Form):
    code = forms.CharField(label=_("Sample code"), max_length=40)
    sample_type = forms.ChoiceField(label=_("Type"), choices=SampleType.choices)
    lab = forms.CharField(label=_("Laboratory"), max_length=100, required=False)


class TransferForm(forms.Form):
    to_facility = forms.ModelChoiceField(label=_("Designated hospital"), queryset=None)  # type: ignore[arg-type,var-annotated]
    bed_kind = forms.ChoiceField(label=_("Bed kind"), choices=BedKind.choices)
    reason = forms.CharField(label=_("Reason"), max_length=200, required=False)

    def __init__(self, *args, hospitals=None, **kwargs):  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self.fields["to_facility"].queryset = hospitals  # type: ignore[attr-defined]


class DailyForm(forms.Form):
    max_temperature = forms.CharField(label=_("Highest temperature today (°C)"), max_length=6)
    severity = forms.ChoiceField(label=_("Severity"), choices=Severity.choices)
    symptoms_improved = forms.BooleanField(label=_("Symptoms improved"), required=False)
    imaging_improved = forms.BooleanField(label=_("Imaging improved"), required=False)
    note = forms.CharField(label=_("Note"), max_length=300, required=False)


class ExposureForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=60)
    relation = forms.CharField(label=_("Relation"), max_length=40, required=False)
    setting = forms.CharField(label=_("Setting"), max_length=120, required=False)
    last_contact = date_field(label=_("Last contact"))
    note = forms.CharField(label=_("Note"), max_length=200, required=False)


class OnsetSourceForm(forms.Form):
    """Symptom onset and infection source of a case (validated by the action)."""

    onset_date = date_field(
        label=_("Symptom onset"),
        required=False,
        help_text=_("Leave empty when unknown or without symptoms."),
    )
    source = forms.ChoiceField(label=_("Infection source"), choices=Source.choices)
    source_note = forms.CharField(
        label=_("Origin (place of infection, imported cases)"), max_length=120, required=False
    )


class LabImportForm(forms.Form):
    file = forms.FileField(label=_("Result file (CSV or XLSX)"))


class RulesForm(forms.ModelForm):
    class Meta:
        from fangkong.clinical.models import ClinicalRules

        model = ClinicalRules
        fields = [
            "effective_from",
            *RULE_FIELDS,  # the fields the save action stores: one list
        ]
        widgets = {"effective_from": forms.DateInput(attrs={"type": "date"})}
