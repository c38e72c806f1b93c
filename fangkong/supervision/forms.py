"""Forms of the supervision pages (input parsing only; the actions validate the rest)."""

from typing import Any

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from fangkong.accounts.models import User
from fangkong.core.formfields import checkboxes, date_field, text_box, yes_or_no
from fangkong.core.forms import ActionErrorsMixin
from fangkong.core.picking import RecordPickerField
from fangkong.geo.picker import JurisdictionField
from fangkong.mobilisation.pickers import member_field
from fangkong.supervision.choices import (
    CommendingBody,
    DecidingBody,
    InspectionKind,
    RectificationStatus,
    Severity,
    Topic,
)
from fangkong.supervision.models import AccountabilityDecision, InspectionTeam


class PlanForm(ActionErrorsMixin, forms.Form):
    title = forms.CharField(label=_("Title"), max_length=120)
    starts_on = date_field(label=_("Starts on"))
    ends_on = date_field(label=_("Ends on"))
    topics = checkboxes(label=_("Topics"), choices=Topic.choices)


class TeamForm(ActionErrorsMixin, forms.Form):
    name = forms.CharField(label=_("Team name"), max_length=80)
    leader = forms.ModelChoiceField(label=_("Leader"), queryset=User.objects.none())
    members = forms.ModelMultipleChoiceField(
        label=_("Members"), queryset=User.objects.none(), required=False
    )

    def __init__(self, *args: Any, accounts: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["leader"].queryset = accounts  # type: ignore[attr-defined]
        self.fields["members"].queryset = accounts  # type: ignore[attr-defined]


class InspectionForm(ActionErrorsMixin, forms.Form):
    team = forms.ModelChoiceField(label=_("Team"), queryset=InspectionTeam.objects.none())
    node_code = JurisdictionField(label=_("Inspected jurisdiction"))
    kind = forms.ChoiceField(label=_("Kind"), choices=InspectionKind.choices)
    planned_on = date_field(label=_("Planned on"))
    topics = checkboxes(label=_("Topics"), choices=Topic.choices)
    subject = member_field(_("Cadre in charge (type the name)"), required=False)

    def __init__(self, *args: Any, teams: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = teams  # type: ignore[attr-defined]


class FindingForm(ActionErrorsMixin, forms.Form):
    description = text_box(rows=3, label=_("What was found"), max_length=4000)
    topic = forms.ChoiceField(label=_("Topic"), choices=[("", "—"), *Topic.choices], required=False)
    severity = forms.ChoiceField(
        label=pgettext_lazy("finding", "Severity"), choices=Severity.choices
    )
    photo = forms.FileField(label=_("Evidence photo"), required=False)


class PhotoForm(forms.Form):
    photo = forms.FileField(label=_("Evidence photo"))


class RecordForm(forms.Form):
    summary = text_box(rows=3, label=_("Summary"), max_length=4000, required=False)


class RectificationForm(ActionErrorsMixin, forms.Form):
    owner_node_code = JurisdictionField(label=_("Jurisdiction that must rectify"))
    requirement = text_box(rows=2, label=_("What must be rectified"), max_length=4000)
    deadline = date_field(label=_("Deadline"), required=False)


class ReplyForm(ActionErrorsMixin, forms.Form):
    reply = text_box(rows=3, label=_("What was done"), max_length=4000)


class VerifyForm(ActionErrorsMixin, forms.Form):
    accepted = yes_or_no(_("Verification"), _("Rectified — accept"), _("Not rectified — send back"))
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


def _findings(user: Any) -> Any:
    from fangkong.supervision.models import Finding

    return Finding.objects.restrict(user, "view").select_related("inspection__node")


def describe_finding(f: Any) -> str:
    return " · ".join(
        [
            f.inspection.node.name,
            f.created_at.date().isoformat(),
            f.get_severity_display(),
            f.description[:40],
        ]
    )


def finding_field(required: bool = False) -> RecordPickerField:
    return RecordPickerField(
        label=_("Finding (type a place or words of it)"),
        required=required,
        search=lambda user, text: (
            _findings(user)
            .filter(Q(description__contains=text) | Q(inspection__node__name__contains=text))
            .order_by("-created_at", "-pk")
        ),
        by_pk=_findings,
        describe=describe_finding,
    )


class CommendationForm(ActionErrorsMixin, forms.Form):
    member = member_field()
    title = forms.CharField(label=_("Title"), max_length=120)
    reason = text_box(rows=2, label=_("Reason"), max_length=4000)
    decided_by = forms.ChoiceField(label=_("Decided by"), choices=CommendingBody.choices)
    decided_on = date_field(label=_("Decided on"))


class CaseForm(ActionErrorsMixin, forms.Form):
    finding = finding_field()
    member = member_field(_("Cadre held accountable (type the name)"))
    decision = forms.ModelChoiceField(
        label=_("Decision"), queryset=AccountabilityDecision.objects.filter(active=True)
    )
    decided_by = forms.ChoiceField(label=_("Decided by"), choices=DecidingBody.choices)
    decided_on = date_field(label=_("Decided on"))
    summary = text_box(rows=2, label=_("Summary"), max_length=4000, required=False)


class ChecklistForm(ActionErrorsMixin, forms.Form):
    items = text_box(rows=8, label=_("Check items, one per line"), max_length=12000)
    active = forms.BooleanField(label=_("In use"), required=False, initial=True)
