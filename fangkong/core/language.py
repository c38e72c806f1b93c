"""The language of text that is stored and read later by others: the reasons of a health
code, a notice. It is the deployment's (settings.LANGUAGE_CODE, Chinese), whoever's
request wrote it — a resident whose phone asks for English must not leave English in the
officials' pages. Answers to the request itself stay in the request's language."""

from typing import Any

from django.conf import settings
from django.utils import translation


def stored() -> Any:
    """A context in which gettext writes the deployment's language."""
    return translation.override(settings.LANGUAGE_CODE)
