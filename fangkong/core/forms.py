"""A page's form beside the action it calls: the action validates and raises a
`ValidationError` naming fields (`core.access.invalid`); the form shows each message under
the field it names, or above the form when the field is not on it."""

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _

from fangkong.core.access import NotAllowed, require


def add_action_errors(form: forms.BaseForm, exc: ValidationError) -> None:
    """Put an action's refusal on `form`: per field when it names fields, else above it."""
    errors = exc.message_dict if hasattr(exc, "error_dict") else {None: exc.messages}
    for name, found in errors.items():
        form.add_error(name if name in form.fields else None, found)


def refusal(exc: PermissionError) -> str:
    """The words of an action's "not allowed" (`NotAllowed`, or a bare `PermissionError`
    an action raises with its own words) for the page to show."""
    return str(exc) or str(_("your role may not do this"))


class ActionErrorsMixin:
    """`form.add_action_errors(exc)`, for forms whose action may refuse."""

    def add_action_errors(self, exc: ValidationError) -> None:
        add_action_errors(self, exc)  # type: ignore[arg-type]


def _attempt(
    request: HttpRequest,
    act: Callable[[], Any],
    ok: str | None,
    refused: Callable[[ValidationError | PermissionError], None],
) -> Any:
    """Call `act()`; a refusal (a `ValidationError` naming fields, or the action's "not
    allowed", a `PermissionError`) goes to `refused` and answers None, else `ok` (when
    given) is flashed and the action's result answered (True when it returns nothing)."""
    try:
        result = act()
    except (ValidationError, PermissionError) as exc:
        refused(exc)
        return None
    if ok is not None:
        messages.success(request, ok)
    return result or True


def run_action(
    request: HttpRequest, form: forms.BaseForm, act: Callable[[], Any], ok: str | None
) -> Any:
    """`act()`, its refusal put on `form` (a "not allowed" above it), so a view reads
    `if form.is_valid() and run_action(...): return redirect(...)`."""

    def refused(exc: ValidationError | PermissionError) -> None:
        if isinstance(exc, ValidationError):
            add_action_errors(form, exc)
        else:
            form.add_error(None, refusal(exc))

    return _attempt(request, act, ok, refused)


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


def create_page(
    request: HttpRequest,
    model: Any,
    form: forms.BaseForm,
    act: Callable[[dict[str, Any]], Any],
    ok: str | None,
    done: Callable[[Any], tuple],
    template: str,
    context: Callable[[], dict[str, Any]],
) -> HttpResponse:
    """A list page with a form that adds one more record of `model` (a class or a label):
    `view` to see it, `add` to post; `act(data)` adds it, `done(result)` gives the
    `redirect` arguments of where to go next, `context()` fills the list."""
    require(request.user, "view", model)
    if request.method == "POST":
        require(request.user, "add", model)
    if result := posted(request, form, act, ok):
        return redirect(*done(result))
    return render(request, template, {"form": form, **context()})


def flashed(request: HttpRequest, act: Callable[[], Any], ok: str | None = None) -> Any:
    """`act()` for a button without a form: a refusal is flashed as an error and answers
    None, else `ok` (when given) is flashed and the action's result (True when None)
    answered."""

    def refused(exc: ValidationError | PermissionError) -> None:
        said = " ".join(exc.messages) if isinstance(exc, ValidationError) else refusal(exc)
        messages.error(request, said)

    return _attempt(request, act, ok, refused)


def bound_to(request: HttpRequest, verb: str) -> Any:
    """The POST data for the form of `verb` when the POST names that verb, else None: a
    page with one form per verb binds only the one that was sent."""
    return request.POST if request.POST.get("verb") == verb else None


def dispatch(
    request: HttpRequest, handlers: dict[str, Callable[[], Any]], strict: bool = True
) -> Any:
    """The verb → handler table of a record's page: run the handler the POST names (its
    result says whether to go on to the record). A verb it does not know is NotAllowed,
    or (not `strict`) nothing done."""
    handler = handlers.get(request.POST.get("verb", ""))
    if handler is None:
        if strict:
            raise NotAllowed
        return None
    return handler()
