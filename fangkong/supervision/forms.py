"""Forms of the supervision pages (input parsing only; the actions validate the rest)."""

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from fangkong.accounts.models import User
from fangkong.supervision.choices import (
    CommendingBody,
    DecidingBody,
    InspectionKind,
    RectificationStatus,
    Severity,
    Topic,
)
from fangkong.supervision.models import AccountabilityDecision, InspectionTeam

DATE = forms.DateInput(attrs={"type": "date"})


class ActionErrors:
    def add_action_errors(self: Any, exc: ValidationError) -> None:
        if hasattr(exc, "error_dict"):
            for field, errors in exc.message_dict.items():
                self.add_error(field if field in self.fields else None, errors)
        else:
            self.add_error(None, exc.messages)


class PlanForm(ActionErrors, forms.Form):
    title = forms.CharField(label=_("Title"), max_length=120)
    starts_on = forms.DateField(label=_("Starts on"), widget=DATE)
    ends_on = forms.DateField(label=_("Ends on"), widget=DATE)
    topics = forms.MultipleChoiceField(
        label=_("Topics"), choices=Topic.choices, widget=forms.CheckboxSelectMultiple
    )


class TeamForm(ActionErrors, forms.Form):
    name = forms.CharField(label=_("Team name"), max_length=80)
    leader = forms.ModelChoiceField(label=_("Leader"), queryset=User.objects.none())
    members = forms.ModelMultipleChoiceField(
        label=_("Members"), queryset=User.objects.none(), required=False
    )

    def __init__(self, *args: Any, accounts: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["leader"].queryset = accounts  # type: ignore[attr-defined]
        self.fields["members"].queryset = accounts  # type: ignore[attr-defined]


class InspectionForm(ActionErrors, forms.Form):
    team = forms.ModelChoiceField(label=_("Team"), queryset=InspectionTeam.objects.none())
    node_code = forms.CharField(label=_("Inspected node (code)"), max_length=40)
    kind = forms.ChoiceField(label=_("Kind"), choices=InspectionKind.choices)
    planned_on = forms.DateField(label=_("Planned on"), widget=DATE)
    topics = forms.MultipleChoiceField(
        label=_("Topics"), choices=Topic.choices, widget=forms.CheckboxSelectMultiple
    )
    subject_id = forms.IntegerField(
        label=_("Cadre in charge (member number)"), min_value=1, required=False
    )

    def __init__(self, *args: Any, teams: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = teams  # type: ignore[attr-defined]


class FindingForm(ActionErrors, forms.Form):
    description = forms.CharField(
        label=_("What was found"), max_length=4000, widget=forms.Textarea(attrs={"rows": 3})
    )
    topic = forms.ChoiceField(label=_("Topic"), choices=[("", "—"), *Topic.choices], required=False)
    severity = forms.ChoiceField(
        label=pgettext_lazy("finding", "Severity"), choices=Severity.choices
    )
    photo = forms.FileField(label=_("Evidence photo"), required=False)


class PhotoForm(forms.Form):
    photo = forms.FileField(label=_("Evidence photo"))


class RecordForm(forms.Form):
    summary = forms.CharField(
        label=_("Summary"),
        max_length=4000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class RectificationForm(ActionErrors, forms.Form):
    owner_node_code = forms.CharField(label=_("Owner node (code)"), max_length=40)
    requirement = forms.CharField(
        label=_("What must be rectified"), max_length=4000, widget=forms.Textarea(attrs={"rows": 2})
    )
    deadline = forms.DateField(label=_("Deadline"), widget=DATE, required=False)


class ReplyForm(ActionErrors, forms.Form):
    reply = forms.CharField(
        label=_("What was done"), max_length=4000, widget=forms.Textarea(attrs={"rows": 3})
    )


class VerifyForm(ActionErrors, forms.Form):
    accepted = forms.TypedChoiceField(
        label=_("Verification"),
        choices=[("1", _("Rectified — accept")), ("0", _("Not rectified — send back"))],
        coerce=lambda v: v == "1",
    )
    note = forms.CharField(label=_("Note"), max_length=300, required=False)


class TaskFilterForm(forms.Form):
    state = forms.ChoiceField(
        label=_("State"),
        required=False,
        choices=[
            ("", _("All")),
            ("overdue", _("Overdue")),
            ("escalated", _("Escalated to my level")),
            *RectificationStatus.choices,
        ],
    )


class CommendationForm(ActionErrors, forms.Form):
    member_id = forms.IntegerField(label=_("Member number"), min_value=1)
    title = forms.CharField(label=_("Title"), max_length=120)
    reason = forms.CharField(
        label=_("Reason"), max_length=4000, widget=forms.Textarea(attrs={"rows": 2})
    )
    decided_by = forms.ChoiceField(label=_("Decided by"), choices=CommendingBody.choices)
    decided_on = forms.DateField(label=_("Decided on"), widget=DATE)


class CaseForm(ActionErrors, forms.Form):
    finding_id = forms.IntegerField(label=_("Finding number"), min_value=1, required=False)
    member_id = forms.IntegerField(label=_("Member number"), min_value=1)
    decision = forms.ModelChoiceField(
        label=_("Decision"), queryset=AccountabilityDecision.objects.filter(active=True)
    )
    decided_by = forms.ChoiceField(label=_("Decided by"), choices=DecidingBody.choices)
    decided_on = forms.DateField(label=_("Decided on"), widget=DATE)
    summary = forms.CharField(
        label=_("Summary"),
        max_length=4000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class ChecklistForm(ActionErrors, forms.Form):
    items = forms.CharField(
        label=_("Check items, one per line"),
        max_length=12000,
        widget=forms.Textarea(attrs={"rows": 8}),
    )
    active = forms.BooleanField(label=_("In use"), required=False, initial=True)
