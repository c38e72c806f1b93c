"""Forms of care; the actions do the validation that needs the database."""

from collections.abc import Sequence
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from fangkong.care.choices import DifficultyState, Relation
from fangkong.core.formfields import date_field, text_box
from fangkong.core.forms import ActionErrorsMixin
from fangkong.core.picking import RecordPickerField
from fangkong.geo.picker import JurisdictionField
from fangkong.mobilisation.pickers import member_field


def category_choices() -> list[tuple[str, str]]:
    from fangkong.care.models import Category

    return [(c.code, c.name) for c in Category.objects.filter(active=True)]


class ReportForm(ActionErrorsMixin, forms.Form):
    """The phone page: the reporter's phone is verified by an SMS code."""

    reporter_name = forms.CharField(label=_("Your name"), max_length=50)
    relation = forms.ChoiceField(label=_("You are"), choices=Relation.choices)
    phone = forms.CharField(label=_("Mobile phone"), max_length=20)
    code = forms.CharField(label=_("Verification code"), max_length=6, required=False)
    category = forms.ChoiceField(label=_("Kind of difficulty"), choices=())
    description = text_box(rows=4, label=_("What is the difficulty?"), max_length=1000)
    node_code = forms.ChoiceField(
        label=_("Your community or village (if you are not registered as a member)"),
        choices=(),
        required=False,
    )

    def __init__(
        self, *args: Any, nodes: Sequence[tuple[str, str]] = (), user: Any = None, **kw: Any
    ) -> None:
        super().__init__(*args, **kw)
        self.fields["category"].choices = category_choices()  # type: ignore[attr-defined]
        self.fields["node_code"].choices = [("", "—"), *nodes]  # type: ignore[attr-defined]
        if user is not None:  # staff record on someone's behalf: any village of their area
            del self.fields["code"]
            self.fields["reporter_name"].label = _("Reporter's name")
            self.fields["phone"].label = _("Reporter's mobile phone")
            picker = JurisdictionField(
                label=_("Community or village (if not a registered member)"),
                levels=("village",),
                required=False,
            )
            picker.user = user
            self.fields["node_code"] = picker


class PhoneForm(forms.Form):
    phone = forms.CharField(label=_("Mobile phone"), max_length=20)
    code = forms.CharField(label=_("Verification code"), max_length=6)


class RateForm(forms.Form):
    rating = forms.TypedChoiceField(
        label=_("How was the help?"), coerce=int, choices=[(i, "★" * i) for i in range(5, 0, -1)]
    )
    comment = forms.CharField(label=_("Comment"), max_length=200, required=False)


class FilterForm(forms.Form):
    state = forms.ChoiceField(
        label=_("State"), choices=[("", _("All"))] + DifficultyState.choices, required=False
    )
    category = forms.ChoiceField(label=_("Category"), choices=(), required=False)

    def __init__(self, *args: Any, **kw: Any):
        super().__init__(*args, **kw)
        self.fields["category"].choices = [("", _("All"))] + category_choices()  # type: ignore[attr-defined]


class OwnerForm(ActionErrorsMixin, forms.Form):
    owner: forms.ModelChoiceField = forms.ModelChoiceField(label=_("Owner"), queryset=None)  # type: ignore[arg-type]

    def __init__(self, *args: Any, owners: Any, **kw: Any):
        super().__init__(*args, **kw)
        self.fields["owner"].queryset = owners  # type: ignore[attr-defined]


class SolveForm(ActionErrorsMixin, forms.Form):
    solution = text_box(rows=3, label=_("What was done"), max_length=2000)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args: Any, **kwargs: Any):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": "image/*"}))
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> Any:
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(d, initial) for d in data]
        return [single(data, initial)] if data else []


def _organisations(user: Any) -> Any:
    from fangkong.mobilisation.models import PartyOrganisation

    return PartyOrganisation.objects.restrict(user, "view").select_related("node")


class DeedForm(ActionErrorsMixin, forms.Form):
    title = forms.CharField(label=_("Title"), max_length=100)
    hero_name = forms.CharField(label=_("Person or organisation named"), max_length=100)
    text = text_box(rows=8, label=_("The deed"), max_length=5000)
    node_code = JurisdictionField(label=_("Jurisdiction"))
    member = member_field(label=_("Member named (type the name)"), required=False)
    organisation = RecordPickerField(
        label=_("Party organisation named (type the name)"),
        required=False,
        search=lambda user, text: (
            _organisations(user).filter(name__contains=text).order_by("name", "pk")
        ),
        by_pk=_organisations,
        describe=lambda o: " · ".join(x for x in (o.name, o.node.name) if x),
    )
    photos = MultipleFileField(label=_("Photos"), required=False)


class ReviewForm(ActionErrorsMixin, forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[
            ("publish", _("Approve and publish")),
            ("return", _("Return")),
            ("reject", _("Reject")),
        ],
    )
    reason = text_box(
        rows=2, label=_("Reason (to return or reject)"), max_length=1000, required=False
    )


class CommendForm(ActionErrorsMixin, forms.Form):
    title = forms.CharField(label=_("Commendation title"), max_length=100)
    reason = text_box(rows=2, label=_("Reason"), max_length=1000)
    decided_by = forms.ChoiceField(label=_("Decided by"), choices=())
    decided_on = date_field(label=_("Decided on"))

    def __init__(self, *args: Any, **kw: Any):
        super().__init__(*args, **kw)
        from fangkong.supervision.models import Commendation

        self.fields["decided_by"].choices = Commendation._meta.get_field("decided_by").choices  # type: ignore[attr-defined]


class RulesForm(ActionErrorsMixin, forms.Form):
    effective_from = date_field(label=_("Effective from"))
    solve_days = forms.IntegerField(
        label=_("Days to solve a difficulty"), min_value=1, max_value=60
    )
    photo_max_kb = forms.IntegerField(label=_("Largest photo (KB)"), min_value=50, max_value=20480)
    photos_per_deed = forms.IntegerField(label=_("Photos per deed"), min_value=1, max_value=20)
    reports_per_hour = forms.IntegerField(
        label=_("Phone reports per client per hour"), min_value=1, max_value=1000
    )
    note = forms.CharField(label=_("Source / note"), max_length=200, required=False)


class CategoryForm(ActionErrorsMixin, forms.Form):
    code = forms.CharField(label=_("Code"), max_length=30)
    name = forms.CharField(label=pgettext_lazy("name of a thing", "Name"), max_length=40)
    active = forms.BooleanField(label=_("Active"), required=False, initial=True)
