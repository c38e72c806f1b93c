"""Forms parse input; the actions validate and write."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from fangkong.core.formfields import date_field
from fangkong.core.forms import ActionErrorsMixin
from fangkong.mobilisation.choices import HealthStatus, OrganisationKind, PostKind, UnitKind


class NodeCodeField(forms.CharField):
    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 24)
        super().__init__(**kwargs)
        self.widget.attrs.setdefault("inputmode", "numeric")


class UnitForm(ActionErrorsMixin, forms.Form):
    name = forms.CharField(label=pgettext_lazy("name of a thing", "Name"), max_length=120)
    kind = forms.ChoiceField(label=_("Kind"), choices=UnitKind.choices)
    node_code = NodeCodeField(label=_("Jurisdiction code"))
    address = forms.CharField(label=_("Address"), max_length=200, required=False)


class OrganisationForm(ActionErrorsMixin, forms.Form):
    name = forms.CharField(label=pgettext_lazy("name of a thing", "Name"), max_length=120)
    kind = forms.ChoiceField(label=_("Kind"), choices=OrganisationKind.choices)
    node_code = NodeCodeField(label=_("Jurisdiction code"))
    parent = forms.IntegerField(label=_("Parent organisation (number)"), required=False)
    unit = forms.IntegerField(label=_("Unit (number)"), required=False)
    secretary = forms.IntegerField(label=_("Secretary (member number)"), required=False)


class MemberForm(ActionErrorsMixin, forms.Form):
    name = forms.CharField(label=_("Name"), max_length=50)
    phone = forms.CharField(label=_("Mobile phone"), max_length=20, required=False)
    is_party_member = forms.BooleanField(label=_("Party member"), required=False)
    is_cadre = forms.BooleanField(label=_("Cadre"), required=False)
    cadre_rank = forms.CharField(label=_("Cadre rank"), max_length=40, required=False)
    is_medical = forms.BooleanField(label=_("Medical worker"), required=False)
    is_volunteer = forms.BooleanField(label=_("Volunteer"), required=False)
    skills = forms.CharField(label=_("Skills"), max_length=200, required=False)
    health_status = forms.ChoiceField(label=_("Health status"), choices=HealthStatus.choices)
    organisation = forms.IntegerField(label=_("Party organisation (number)"), required=False)
    unit = forms.IntegerField(label=_("Unit (number)"), required=False)
    node_code = NodeCodeField(label=_("Jurisdiction code"), required=False)


class PostForm(ActionErrorsMixin, forms.Form):
    name = forms.CharField(label=pgettext_lazy("name of a thing", "Name"), max_length=120)
    kind = forms.ChoiceField(label=_("Kind"), choices=PostKind.choices)
    node_code = NodeCodeField(label=_("Jurisdiction code"))
    required_per_shift = forms.IntegerField(
        label=_("People required per shift"), min_value=1, max_value=50, initial=2
    )
    shift_hours = forms.IntegerField(
        label=_("Hours per shift"), min_value=1, max_value=24, initial=8
    )
    first_shift_hour = forms.IntegerField(
        label=_("First shift starts at (hour)"), min_value=0, max_value=23, initial=0
    )
    active = forms.BooleanField(label=_("Active"), required=False, initial=True)


class PlanForm(ActionErrorsMixin, forms.Form):
    first_day = date_field(label=pgettext_lazy("date range", "From"))
    days = forms.IntegerField(label=_("Days"), min_value=1, max_value=31, initial=7)


class RestRulesForm(ActionErrorsMixin, forms.Form):
    effective_from = date_field(label=_("Effective from"))
    max_shift_hours = forms.IntegerField(
        label=_("Maximum hours per shift"), min_value=1, max_value=24
    )
    max_hours_per_24h = forms.IntegerField(
        label=_("Maximum hours in any 24 hours"), min_value=1, max_value=24
    )
    max_consecutive_days = forms.IntegerField(
        label=_("Maximum consecutive days on duty"), min_value=1, max_value=31
    )
    min_rest_hours = forms.IntegerField(
        label=_("Minimum rest between shifts (hours)"), min_value=0, max_value=48
    )
    note = forms.CharField(label=_("Source / note"), max_length=200, required=False)
