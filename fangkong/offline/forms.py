from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from fangkong.core.formfields import date_field
from fangkong.core.forms import ActionErrorsMixin
from fangkong.offline.actions import LIMITS


def _number(label: Any, field: str) -> forms.IntegerField:
    low, high = LIMITS[field]
    return forms.IntegerField(label=label, min_value=low, max_value=high)


class RulesForm(ActionErrorsMixin, forms.Form):
    effective_from = date_field(label=_("Effective from"))
    key_hours = _number(_("offline store kept for (hours)"), "key_hours")
    max_batch = _number(_("items per sync request"), "max_batch")
    max_waiting = _number(_("items a phone may hold unsent"), "max_waiting")
    max_item_age_days = _number(_("oldest item accepted (days)"), "max_item_age_days")
    note = forms.CharField(label=_("Source / note"), max_length=200, required=False)
