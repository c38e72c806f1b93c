from django import forms
from django.utils.translation import gettext_lazy as _

from fangkong.companions import rules
from fangkong.companions.choices import Decision, Engine
from fangkong.core.forms import ActionErrorsMixin


class RunForm(ActionErrorsMixin, forms.Form):
    dataset = forms.ChoiceField(label=_("Data set"))
    engine = forms.ChoiceField(label=_("Engine"), choices=Engine.choices, initial=Engine.DUCKDB)
    cases = forms.CharField(
        label=_("Case ids"),
        help_text=_("Ids of the cases in the data set, separated by commas"),
        max_length=10_000,
    )

    def __init__(self, *args, datasets: list[tuple[str, str]] = (), **kwargs):  # type: ignore[no-untyped-def, assignment]
        super().__init__(*args, **kwargs)
        self.fields["dataset"].choices = datasets  # type: ignore[attr-defined]

    def clean_cases(self) -> list[int]:
        try:
            refs = rules.parse_case_refs(self.cleaned_data["cases"])
        except ValueError as exc:
            raise forms.ValidationError(
                _("“%(v)s” is not a case id; use whole numbers separated by commas."),
                params={"v": str(exc)[:20]},
            ) from exc
        if not refs:
            raise forms.ValidationError(_("Give at least one case id."))
        return refs


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[(Decision.CONFIRMED, _("Confirm")), (Decision.DISMISSED, _("Dismiss"))],
    )
    note = forms.CharField(label=_("Reason"), required=False, max_length=200)
