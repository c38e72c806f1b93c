"""Issue #22, item 1: a page's action refuses in one of two ways, a `ValidationError`
naming fields or the one "not allowed" (`NotAllowed`, a `PermissionError`); `run_action`
and `flashed` show both where the user acted instead of a server error."""

from django import forms
from django.contrib.messages import get_messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.test import RequestFactory

from fangkong.core.access import NotAllowed, invalid
from fangkong.core.forms import flashed, run_action


class NoteForm(forms.Form):
    note = forms.CharField()


def _request():  # type: ignore[no-untyped-def]
    request = RequestFactory().post("/", {"note": "x"})
    request.session = {}  # type: ignore[attr-defined]
    request._messages = FallbackStorage(request)  # type: ignore[attr-defined]
    return request


def _refuse(exc: Exception):  # type: ignore[no-untyped-def]
    def act() -> None:
        raise exc

    return act


def test_run_action_puts_a_not_allowed_above_the_form():
    request, form = _request(), NoteForm({"note": "x"})
    assert form.is_valid()
    refused = NotAllowed("only the responsible doctor can hand the patient over")
    assert run_action(request, form, _refuse(refused), "done") is None
    assert form.non_field_errors() == ["only the responsible doctor can hand the patient over"]
    assert not list(get_messages(request))


def test_run_action_names_the_field_and_passes_a_result_through():
    request, form = _request(), NoteForm({"note": "x"})
    assert form.is_valid()
    assert run_action(request, form, _refuse(invalid("note", "too short")), "done") is None
    assert form.errors["note"] == ["too short"]
    assert run_action(request, NoteForm({"note": "x"}), lambda: 7, "done") == 7
    assert [str(m) for m in get_messages(request)] == ["done"]


def test_a_bare_refusal_still_has_words():
    request, form = _request(), NoteForm({"note": "x"})
    assert form.is_valid()
    assert run_action(request, form, _refuse(NotAllowed()), None) is None
    assert form.non_field_errors() == ["your role may not do this"]


def test_flashed_shows_a_not_allowed_as_an_error():
    request = _request()
    assert flashed(request, _refuse(NotAllowed("outside your jurisdiction")), "done") is None
    assert [str(m) for m in get_messages(request)] == ["outside your jurisdiction"]
