from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from fangkong.core.formfields import date_field
from fangkong.core.forms import ActionErrorsMixin
from fangkong.geo.picker import JurisdictionField
from fangkong.people import rules
from fangkong.people.choices import DocumentType, Sex
from fangkong.people.pickers import merge_field


class PersonForm(ActionErrorsMixin, forms.Form):
    """The page's shell around actions.register_person / update_person: the action
    does the validating, the form shows its messages beside each field."""

    name = forms.CharField(label=_("Name"), max_length=50)
    id_number = forms.CharField(label=_("Resident ID"), max_length=24, required=False)
    sex = forms.ChoiceField(label=_("Sex"), choices=Sex.choices, required=False)
    birth_date = date_field(label=_("Birth date"), required=False)
    doc_type = forms.ChoiceField(
        label=_("Other document"), choices=DocumentType.choices, required=False
    )
    doc_number = forms.CharField(label=_("Document number"), max_length=30, required=False)
    phone = forms.CharField(
        label=_("Mobile phone"),
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off"}),
    )
    node_code = JurisdictionField(label=_("Grid / village"), levels=rules.HOME_LEVELS)
    address = forms.CharField(label=_("Current address"), max_length=200, required=False)
    household_number = forms.CharField(label=_("Household number"), max_length=40, required=False)
    registered_residence = forms.CharField(
        label=_("Registered residence"), max_length=200, required=False
    )
    occupation = forms.CharField(label=_("Occupation"), max_length=60, required=False)
    workplace = forms.CharField(label=_("Workplace"), max_length=120, required=False)
    tags = forms.CharField(label=_("Tags (comma-separated)"), max_length=200, required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    confirm_similar = forms.BooleanField(
        label=_("Register anyway: this is a different person"), required=False
    )

    def __init__(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        for f in self.fields.values():
            f.widget.attrs.setdefault("autocomplete", "off")
        self.fields["id_number"].widget.attrs.update({"autocomplete": "off", "spellcheck": "false"})

    def action_data(self, changed_only: bool = False) -> dict:
        data = {
            k: v for k, v in self.cleaned_data.items() if k not in ("version", "confirm_similar")
        }
        if changed_only:
            data = {k: v for k, v in data.items() if k in self.changed_data}
            # Encrypted values are never prefilled: an empty box means "keep".
            for secret in ("id_number", "phone", "doc_number"):
                if not data.get(secret):
                    data.pop(secret, None)
            if "doc_number" not in data and "doc_type" not in data:
                data.pop("doc_type", None)
            elif "doc_type" not in data:
                data["doc_type"] = self.cleaned_data.get("doc_type", "")
        return data


class MergeForm(forms.Form):
    """The duplicate to merge into `survivor`, picked by name (never the survivor)."""

    def __init__(self, *args: Any, survivor: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["absorbed"] = merge_field(survivor.pk)
