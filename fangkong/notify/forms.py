from django import forms
from django.utils.translation import gettext_lazy as _

from fangkong.core.formfields import checkboxes, date_field


class PreferenceForm(forms.Form):
    sms = forms.BooleanField(label=_("Send me SMS"), required=False)
    email = forms.BooleanField(label=_("Send me email"), required=False)
    quiet_start = forms.TimeField(
        label=_("Quiet from"), required=False, widget=forms.TimeInput(attrs={"type": "time"})
    )
    quiet_end = forms.TimeField(
        label=_("Quiet until"), required=False, widget=forms.TimeInput(attrs={"type": "time"})
    )
    phone = forms.CharField(
        label=_("Mobile phone (leave empty to keep)"),
        required=False,
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
    )

    def clean_phone(self) -> str | None:
        value = self.cleaned_data.get("phone", "").strip()
        return value or None


class RulesForm(forms.Form):
    """A dated notice rule set: per kind, the channels and (where the kind has one) the
    minutes before the deadline / window close or after it."""

    effective_from = date_field(label=_("Effective from"))
    note = forms.CharField(label=_("Source / note"), max_length=200, required=False)
    max_attempts = forms.IntegerField(label=_("Attempts per message"), min_value=1, max_value=20)
    retry_seconds = forms.IntegerField(
        label=_("First retry after (s)"), min_value=1, max_value=86400
    )

    def __init__(self, *args, current=None, **kwargs):  # type: ignore[no-untyped-def]
        from fangkong.notify.models import Kind
        from fangkong.notify.rules import CHANNELS, DEFAULT_RULES

        super().__init__(*args, **kwargs)
        labels = dict(Kind.choices)
        channel_labels = {"inbox": _("In-app inbox"), "sms": _("SMS"), "email": _("Email")}
        self.kinds = []
        for kind, default in DEFAULT_RULES.items():
            rule = current.rule(kind) if current is not None else default
            self.fields[f"{kind}__channels"] = checkboxes(
                label=labels[kind],
                choices=[(c, channel_labels[c]) for c in CHANNELS],
                required=False,
                initial=rule.get("channels", []),
            )
            names = [f"{kind}__channels"]
            for key in ("minutes", "after"):
                if key in default:
                    self.fields[f"{kind}__{key}"] = forms.IntegerField(
                        label=_("minutes before") if key == "minutes" else _("minutes after"),
                        min_value=0,
                        max_value=10080,
                        initial=rule.get(key),
                    )
                    names.append(f"{kind}__{key}")
            self.kinds.append(names)

    def rules(self) -> dict:
        out: dict = {}
        for name, value in self.cleaned_data.items():
            if "__" in name:
                kind, key = name.split("__", 1)
                out.setdefault(kind, {})[key] = list(value) if key == "channels" else value
        return out
