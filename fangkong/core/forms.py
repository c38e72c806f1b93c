"""A page's form beside the action it calls: the action validates and raises a
`ValidationError` naming fields (`core.access.invalid`); the form shows each message under
the field it names, or above the form when the field is not on it."""

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest


def add_action_errors(form: forms.BaseForm, exc: ValidationError) -> None:
    """Put an action's refusal on `form`: per field when it names fields, else above it."""
    errors = exc.message_dict if hasattr(exc, "error_dict") else {None: exc.messages}
    for name, found in errors.items():
        form.add_error(name if name in form.fields else None, found)


class ActionErrorsMixin:
    """`form.add_action_errors(exc)`, for forms whose action may refuse."""

    def add_action_errors(self, exc: ValidationError) -> None:
        add_action_errors(self, exc)  # type: ignore[arg-type]


def run_action(
    request: HttpRequest, form: forms.BaseForm, act: Callable[[], Any], ok: str | None
) -> Any:
    """Call `act()`; on a refusal put it on `form` and answer None, else flash `ok` (when
    given) and answer the action's result (True when it returns nothing), so a view reads
    `if form.is_valid() and run_action(...): return redirect(...)`."""
    try:
        result = act()
    except ValidationError as exc:
        add_action_errors(form, exc)
        return None
    if ok is not None:
        messages.success(request, ok)
    return result or True


def posted(
    request: HttpRequest,
    form: forms.BaseForm,
    act: Callable[[dict[str, Any]], Any],
    ok: str | None = None,
) -> Any:
    """The form half of a page: on a POST whose `form` is valid, `act(form.cleaned_data)`
    through `run_action`; None otherwise (a GET, an invalid form, a refusal now shown on
    the form), so a view reads `if done := posted(...): return redirect(...)`."""
    if request.method != "POST" or not form.is_valid():
        return None
    return run_action(request, form, lambda: act(form.cleaned_data), ok)
