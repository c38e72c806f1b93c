"""Forms of the public side; the actions do the validation that needs the database."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from fangkong.core.formfields import checkboxes, date_field, text_box, yes_or_no
from fangkong.core.forms import ActionErrorsMixin
from fangkong.geo.picker import JurisdictionField
from fangkong.public import choices as ch


class DraftForm(ActionErrorsMixin, forms.Form):
    day = date_field(label=_("Day"))
    node_code = JurisdictionField(label=_("Jurisdiction"))
    figures = text_box(
        rows=4,
        label=_("Figures, one district a line: name,new,cumulative (empty: from the cases)"),
        required=False,
    )

    def parsed_figures(self) -> list[dict] | None:
        from fangkong.geo.models import Division

        raw = self.cleaned_data["figures"].strip()
        if not raw:
            return None
        out = []
        for n, line in enumerate(raw.splitlines(), 1):
            parts = [p.strip() for p in line.replace("，", ",").split(",")]
            if len(parts) != 3 or not parts[1].isdigit() or not parts[2].isdigit():
                raise forms.ValidationError(_("line %(n)d: name,new,cumulative") % {"n": n})
            d = (
                Division.objects.filter(code=parts[0]).first()
                or Division.objects.filter(name=parts[0], level__in=("county", "town")).first()
            )
            if d is None:
                raise forms.ValidationError(_("line %(n)d: unknown division") % {"n": n})
            out.append({"code": d.code, "name": d.name, "new": parts[1], "total": parts[2]})
        return out


class EditForm(ActionErrorsMixin, forms.Form):
    title = forms.CharField(label=_("Title"), max_length=120)
    text = text_box(rows=10, label=_("Text"))


class ArticleForm(ActionErrorsMixin, forms.Form):
    title = forms.CharField(label=_("Title"), max_length=120)
    body = text_box(rows=8, label=_("Text"))


class RumourForm(ActionErrorsMixin, forms.Form):
    text = text_box(rows=3, label=_("Rumour as circulated"))
    where_seen = forms.CharField(label=_("Where it circulates"), max_length=120, required=False)


class ClarifyForm(ActionErrorsMixin, forms.Form):
    clarification = text_box(rows=5, label=_("Clarification"), required=False)
    sources = text_box(rows=2, label=_("Sources"), required=False)
    dismiss = forms.BooleanField(label=_("Not a rumour (dismiss)"), required=False)


class AskForm(ActionErrorsMixin, forms.Form):
    node_code = forms.ChoiceField(label=_("Where"), choices=[])
    department = forms.ChoiceField(label=_("About"), choices=ch.Department.choices)
    text = text_box(rows=4, label=_("Your question"))
    phone = forms.CharField(
        label=_("Mobile phone (leave empty to ask anonymously)"), max_length=20, required=False
    )
    code = forms.CharField(label=_("Verification code"), max_length=6, required=False)

    def __init__(self, *args: Any, nodes: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["node_code"].choices = nodes  # type: ignore[attr-defined]


class AnswerForm(ActionErrorsMixin, forms.Form):
    answer = text_box(rows=5, label=_("Answer"))
    publish = forms.BooleanField(label=_("Publish the answer"), required=False, initial=True)


class ApplicationForm(ActionErrorsMixin, forms.Form):
    node_code = JurisdictionField(label=_("Jurisdiction"))
    company = forms.CharField(label=_("Company"), max_length=120)
    credit_code = forms.CharField(label=_("Unified social credit code"), max_length=18)
    contact_name = forms.CharField(label=_("Contact"), max_length=40)
    resume_date = date_field(label=_("Resume date"))
    contingency_plan = text_box(rows=4, label=_("Contingency plan"))
    employees = text_box(rows=5, label=_("Employees, one a line: name,mobile"))

    def clean_employees(self) -> list[dict]:
        out = []
        for line in self.cleaned_data["employees"].splitlines():
            parts = [p.strip() for p in line.replace("，", ",").split(",")]
            if parts and parts[0]:
                out.append({"name": parts[0], "phone": parts[1] if len(parts) > 1 else ""})
        if not out:
            raise forms.ValidationError(_("list the employees"))
        return out


class DeclarationForm(ActionErrorsMixin, forms.Form):
    temperature = forms.DecimalField(
        label=_("Temperature today (°C)"), min_value=34, max_value=43, decimal_places=1
    )
    symptoms = forms.BooleanField(label=_("Fever, cough or other symptoms"), required=False)
    from_key_area = forms.BooleanField(
        label=_("Been in a key area in the last 14 days"), required=False
    )
    health_code = forms.ChoiceField(
        label=_("Health code colour"),
        choices=[("", "—"), ("green", _("Green")), ("yellow", _("Yellow")), ("red", _("Red"))],
        required=False,
    )


class InspectionForm(ActionErrorsMixin, forms.Form):
    passed = forms.BooleanField(label=_("Passed"), required=False)
    note = forms.CharField(label=pgettext_lazy("enterprise inspection", "Findings"), max_length=200)


class DecisionForm(ActionErrorsMixin, forms.Form):
    approve = yes_or_no(_("Decision"), _("Approve"), _("Reject"))
    note = forms.CharField(label=_("Note"), max_length=200, required=False)


class SchoolForm(ActionErrorsMixin, forms.Form):
    node_code = JurisdictionField(label=_("Jurisdiction"))
    school = forms.CharField(label=_("School"), max_length=120)
    return_date = date_field(label=_("Return date"))
    classes = forms.IntegerField(label=_("Classes"), min_value=1)
    students = forms.IntegerField(label=_("Students"), min_value=1)
    staff = forms.IntegerField(label=_("Staff"), min_value=1)
    staff_declared = forms.IntegerField(label=_("Staff declared healthy"), min_value=0)
    students_declared = forms.IntegerField(label=_("Students declared healthy"), min_value=0)
    contingency_plan = text_box(rows=4, label=_("Contingency plan"))
    checklist = checkboxes(label=_("Checklist"), choices=ch.SchoolCheck.choices, required=False)


class GatheringForm(ActionErrorsMixin, forms.Form):
    node_code = JurisdictionField(label=_("Community or village"), levels=("village",), scope="all")
    kind = forms.ChoiceField(label=_("Kind"), choices=ch.GatheringKind.choices)
    source = forms.ChoiceField(label=_("Source"), choices=ch.GatheringSource.choices)
    planned_on = date_field(label=_("Planned on"))
    organiser = forms.CharField(label=_("Organiser"), max_length=40)
    phone = forms.CharField(label=_("Mobile phone"), max_length=20, required=False)
    venue = forms.CharField(label=_("Venue"), max_length=120)
    guests = forms.IntegerField(label=_("Expected guests"), min_value=1)


class HandlingForm(ActionErrorsMixin, forms.Form):
    handling = forms.ChoiceField(label=_("Handling"), choices=ch.Handling.choices)


class FollowUpForm(ActionErrorsMixin, forms.Form):
    follow_up = text_box(rows=2, label=_("Follow-up"))
