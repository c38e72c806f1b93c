"""Forms of the command pages; actions do the validation that needs the database."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from fangkong.command.choices import RECIPIENT_LEVELS, ResponseGrade, Schedule
from fangkong.core.formfields import checkboxes, date_field, datetime_field, text_box
from fangkong.core.forms import ActionErrorsMixin
from fangkong.geo.choices import Level
from fangkong.geo.picker import JurisdictionListField

LEVEL_CHOICES = [(v, label) for v, label in Level.choices if v in RECIPIENT_LEVELS]


class LevelForm(ActionErrorsMixin, forms.Form):
    effective_from = date_field(label=_("Effective from"))
    grade = forms.ChoiceField(label=_("Response level"), choices=ResponseGrade.choices)
    note = forms.CharField(label=_("Source / note"), max_length=200, required=False)


class DirectiveForm(ActionErrorsMixin, forms.Form):
    title = forms.CharField(label=_("Title"), max_length=150)
    text = text_box(rows=5, label=_("Text"))
    deadline = datetime_field(label=_("Deadline"))
    levels = checkboxes(
        label=_("Send to every node of these levels"), choices=LEVEL_CHOICES, required=False
    )
    nodes = JurisdictionListField(
        label=_("…and/or these jurisdictions (names, separated by 、)"), required=False
    )
    ack_required = forms.BooleanField(
        label=_("Acknowledgement required"), required=False, initial=True
    )
    feedback_required = forms.BooleanField(label=_("Report back required"), required=False)
    attachment = forms.FileField(label=_("Attachment"), required=False)

    def node_codes(self) -> list[str]:
        return list(self.cleaned_data.get("nodes") or [])


class FeedbackForm(forms.Form):
    feedback = text_box(rows=3, label=_("What was done"))


class MeetingForm(ActionErrorsMixin, forms.Form):
    day = date_field(label=_("Day"))
    title = forms.CharField(label=_("Title"), max_length=120, required=False)


class DecisionForm(ActionErrorsMixin, forms.Form):
    text = text_box(rows=2, label=_("Decision"))
    owner = forms.ModelChoiceField(label=_("Owner"), queryset=None)  # type: ignore[var-annotated,arg-type]
    deadline = date_field(label=_("Deadline"))

    def __init__(self, *args: Any, owners: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = owners  # type: ignore[attr-defined]


class CloseForm(ActionErrorsMixin, forms.Form):
    outcome = forms.CharField(label=_("Outcome"), max_length=500)


class TemplateForm(ActionErrorsMixin, forms.Form):
    name = forms.CharField(label=pgettext_lazy("name of a thing", "Name"), max_length=120)
    level = forms.ChoiceField(label=_("Expected from level"), choices=LEVEL_CHOICES)
    schedule = forms.ChoiceField(label=_("Schedule"), choices=Schedule.choices)
    deadline_time = forms.TimeField(label=_("Due by (time of day)"), initial="17:00")
    lock_after_hours = forms.IntegerField(
        label=_("Locked hours after the deadline"), initial=24, min_value=0
    )
    figures = text_box(rows=4, label=_("Figures to report (one per line)"))
    starts_on = date_field(label=_("First period"))
    ends_on = date_field(label=_("Last period"), required=False)


class SubmissionForm(ActionErrorsMixin, forms.Form):
    period = date_field(label=_("Period"))

    def __init__(self, *args: Any, figures: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.figures = figures
        for i, name in enumerate(figures):
            self.fields[f"f{i}"] = forms.CharField(label=name, max_length=200, required=False)

    def data_dict(self) -> dict[str, str]:
        out = {}
        for i, name in enumerate(self.figures):
            value = self.cleaned_data.get(f"f{i}", "").strip()
            if value:
                out[name] = value
        return out
