"""Pickers for records (a person, a member, a finding): the user types a name, never a
number, and sees who it is — the name with a masked ID or phone — before anything is
recorded. Works without JavaScript: one match is taken, several are offered as choices
(radio buttons, each labelled), none is an error. A chosen record travels as `#<pk>`
(in a form's hidden field, never in an address).

    member = RecordPickerField(label=..., search=lambda user, text: Member.objects
                               .restrict(user).filter(name__contains=text),
                               by_pk=lambda user: Member.objects.restrict(user),
                               describe=lambda m: f"{m.name} · {m.phone_masked}")
    form.fields["member"].user = request.user

`confirm_page` (`core/confirm.html`) names the person before a sanction, a transfer or a
release is written; `hidden_values` carries the form to it and `named` says who it is."""

import re
from collections.abc import Callable
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

PICKED = re.compile(r"^#(\d{1,18})$")
LIMIT = 20


class RecordPickerWidget(forms.TextInput):
    template_name = "core/record_picker.html"

    def __init__(self, attrs: dict | None = None) -> None:
        super().__init__({"autocomplete": "off", **(attrs or {})})
        self.choices: list[tuple[str, str]] = []
        self.more = 0
        self.field: Any = None

    def format_value(self, value: Any) -> str | None:
        if hasattr(value, "pk"):
            value = f"#{value.pk}"
        text = str(value or "")
        if self.field is not None and PICKED.match(text):
            obj = self.field.lookup(text)
            if obj is not None:
                return self.field.describe(obj)
        return super().format_value(value)

    def get_context(self, name: str, value: Any, attrs: dict | None) -> dict:
        context = super().get_context(name, value, attrs)
        context["widget"]["choices"] = self.choices
        context["widget"]["more"] = self.more
        return context


class RecordPickerField(forms.CharField):
    """Cleans typed words, a label shown before, or `#pk` to one record in the user's
    reach; several matches raise an error and put the choices on the widget."""

    default_error_messages = {
        "none": _("Nobody matches “%(text)s” in your area."),
        "many": _("%(count)s match “%(text)s”: choose one below."),
    }

    def __init__(
        self,
        *args: Any,
        search: Callable[[Any, str], QuerySet],
        by_pk: Callable[[Any], QuerySet],
        describe: Callable[[Any], str],
        **kwargs: Any,
    ) -> None:
        kwargs.setdefault("max_length", 120)
        kwargs.setdefault("widget", RecordPickerWidget())
        super().__init__(*args, **kwargs)
        self.search, self.by_pk, self.describe = search, by_pk, describe
        self.widget.field = self  # type: ignore[attr-defined]
        self.user: Any = None

    def __deepcopy__(self, memo: dict) -> Any:
        result = super().__deepcopy__(memo)
        result.widget.field = result
        return result

    def lookup(self, text: str) -> Any:
        match = PICKED.match(text.strip())
        if match is None:
            return None
        return self.by_pk(self.user).filter(pk=int(match.group(1))).first()

    def clean(self, value: Any) -> Any:
        text = super().clean(value)
        if not text:
            return None
        if PICKED.match(text.strip()):
            found = self.lookup(text)
            if found is None:
                raise forms.ValidationError(self.error_messages["none"], params={"text": text})
            return found
        words = text.split(" · ")[0].strip()
        qs = self.search(self.user, words)
        rows = list(qs[: LIMIT + 1])
        same = [r for r in rows if self.describe(r) == text.strip()]
        if len(same) == 1:
            return same[0]
        if len(rows) == 1:
            return rows[0]
        if not rows:
            raise forms.ValidationError(self.error_messages["none"], params={"text": words})
        total = qs.count() if len(rows) > LIMIT else len(rows)
        self.widget.choices = [(f"#{r.pk}", self.describe(r)) for r in rows[:LIMIT]]  # type: ignore[attr-defined]
        self.widget.more = total - min(total, LIMIT)  # type: ignore[attr-defined]
        raise forms.ValidationError(
            self.error_messages["many"], params={"count": total, "text": words}
        )


def name_picker(
    rows: Callable[[Any], QuerySet], describe: Callable[[Any], str], label: Any, required: bool
) -> RecordPickerField:
    """A picker of `rows(user)` found by words of the name, listed by name."""
    return RecordPickerField(
        label=label,
        required=required,
        search=lambda user, text: rows(user).filter(name__contains=text).order_by("name", "pk"),
        by_pk=rows,
        describe=describe,
    )


def set_user(form: forms.Form, user: Any) -> None:
    """Give every picker of the form the user whose reach it searches."""
    for field in form.fields.values():
        if hasattr(field, "user"):
            field.user = user


def hidden_values(form: forms.Form) -> list[tuple[str, str]]:
    """The cleaned form as hidden fields for the confirmation page (records as #pk)."""
    out: list[tuple[str, str]] = []
    for name, value in form.cleaned_data.items():
        if value is None or value == "":
            continue
        if hasattr(value, "pk"):
            out.append(
                (
                    name,
                    f"#{value.pk}"
                    if isinstance(form.fields[name], RecordPickerField)
                    else str(value.pk),
                )
            )
        elif isinstance(value, (list, tuple)):
            out.extend((name, str(v)) for v in value)
        elif hasattr(value, "isoformat"):
            out.append((name, value.isoformat()))
        else:
            out.append((name, str(value)))
    return out


def named(person: Any) -> str:
    """A person (or a screening subject) as a confirmation names them: the name and the
    masked ID, else the masked phone."""
    return " · ".join(x for x in (person.name, person.id_masked or person.phone_masked) if x)


def confirm_page(
    request: HttpRequest,
    title: Any,
    question: Any,
    facts: list[tuple[Any, Any]],
    hidden: list[tuple[str, str]],
    *,
    action: str,
    back: str,
    label: Any = None,
) -> HttpResponse:
    """The page shown before a weighty write: `facts` as (label, value) rows under the
    `question`; confirming posts `hidden` again to `action` with `confirmed=1`, `back`
    leaves without recording. The button says `label` (the title unless given)."""
    context = {
        "title": title,
        "question": question,
        "facts": facts,
        "hidden": hidden,
        "action": action,
        "back": back,
        "confirm_label": label or title,
    }
    return render(request, "core/confirm.html", context)
