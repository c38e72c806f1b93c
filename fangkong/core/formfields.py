"""The form fields the pages declare again and again, each with its widget: a date or a
date and time picked on the phone's own picker, a text box of a few rows, a set of
checkboxes. Every other argument is the form field's own (`label`, `required`, …)."""

from typing import Any

from django import forms


def date_field(**options: Any) -> forms.DateField:
    return forms.DateField(widget=forms.DateInput(attrs={"type": "date"}), **options)


def datetime_field(**options: Any) -> forms.DateTimeField:
    widget = forms.DateTimeInput(attrs={"type": "datetime-local"})
    return forms.DateTimeField(widget=widget, **options)


def text_box(rows: int, **options: Any) -> forms.CharField:
    return forms.CharField(widget=forms.Textarea(attrs={"rows": rows}), **options)


def checkboxes(**options: Any) -> forms.MultipleChoiceField:
    return forms.MultipleChoiceField(widget=forms.CheckboxSelectMultiple, **options)


def yes_or_no(label: Any, yes: Any, no: Any) -> forms.TypedChoiceField:
    """A choice between two answers, cleaned to True (`yes`) or False (`no`)."""
    choices = [("1", yes), ("0", no)]
    return forms.TypedChoiceField(label=label, choices=choices, coerce=lambda v: v == "1")
