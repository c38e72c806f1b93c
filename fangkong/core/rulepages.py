"""The page of an app's dated rule sets: whoever may view the rules model reads the sets;
whoever may change it posts a new set from a date on (the action validates and refuses
per field, `core.forms.run_action`). An app names its page once,

    RULES_PAGE = RulesPage("clinical.clinicalrules", "clinical:rules", "clinical/rules.html")

and its view answers `RULES_PAGE.render(request, form, save, sets)`."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django import forms
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _

from fangkong.core.access import require
from fangkong.core.forms import run_action


@dataclass(frozen=True)
class RulesPage:
    label: str  # the rules model, "app.model"
    done: str  # the url name to go to once a set is saved
    template: str
    sets_name: str = "sets"  # the name of the rule sets in the template
    saved: Any = _("Rule set saved.")

    def render(
        self,
        request: HttpRequest,
        form: forms.BaseForm,
        save: Callable[[Any, dict[str, Any]], Any],
        sets: Any,
        **context: Any,
    ) -> HttpResponse:
        """The page with `sets`; a post by one who may change the rules calls
        `save(user, cleaned_data)`, flashes `saved` and goes to `done`."""
        require(request.user, "view", self.label)
        can_change = request.user.may(self.label, "change")  # type: ignore[union-attr]
        if request.method == "POST":
            if not can_change:
                raise PermissionDenied
            ok = str(self.saved)
            if form.is_valid() and run_action(
                request, form, lambda: save(request.user, form.cleaned_data), ok
            ):
                return redirect(self.done)
        page = {**context, self.sets_name: sets, "form": form, "can_change": can_change}
        return render(request, self.template, page)
