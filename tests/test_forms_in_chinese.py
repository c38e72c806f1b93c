"""Every form of the project, rendered in Chinese, says nothing in English: its labels,
help texts, choices and the empty choice of a select (Django 6.1's "- Select an option -"
has no Chinese in Django's own catalogue, so ours carries it). The page walks see only
the pages in a role's menu; this reads the forms themselves, including those of pages
that need data to reach."""

import importlib
import inspect
import pkgutil
import re

import pytest
from django import forms
from django.utils import translation

import fangkong
from tests.ui.text import explain, untranslated

pytestmark = pytest.mark.django_db
PLACEHOLDER = re.compile(r"%\([a-z_]+\)[sdr]")


def project_forms() -> list[type[forms.BaseForm]]:
    found = []
    for module in pkgutil.walk_packages(fangkong.__path__, "fangkong."):
        if not module.name.endswith(".forms"):
            continue
        loaded = importlib.import_module(module.name)
        for obj in vars(loaded).values():
            if (
                inspect.isclass(obj)
                and issubclass(obj, forms.BaseForm)
                and obj.__module__ == loaded.__name__
            ):
                found.append(obj)
    return found


def built(cls: type[forms.BaseForm]) -> forms.BaseForm | None:
    """The form as a page first shows it, when it needs nothing from the page; forms
    built from a page's rows (a queryset or a list of owners) are read by the page
    tests instead."""
    takes = inspect.signature(cls.__init__).parameters.values()
    if any(p.kind is p.KEYWORD_ONLY and p.default is p.empty for p in takes):
        return None
    form = cls()
    for field in form.fields.values():
        if isinstance(field, forms.ModelChoiceField) and field.queryset is None:
            return None
    return form


def test_every_form_reads_in_chinese(tree):
    read = 0
    problems = []
    for cls in project_forms():
        with translation.override("zh-hans"):
            form = built(cls)
            if form is None:
                continue
            text = re.sub(r"<[^>]+>", " ", str(form))
            errors = " ".join(
                PLACEHOLDER.sub("", str(e))
                for f in form.visible_fields()
                for e in f.field.error_messages.values()
            )
        read += 1
        if untranslated(text + " " + errors):
            problems.append(f"{cls.__module__}.{cls.__name__}:\n{explain(text + ' ' + errors)}")
    assert read >= 50  # the walk found the project's forms
    assert problems == [], "\n".join(problems)


def test_the_empty_choice_of_a_select_is_chinese():
    from django.db.models.fields import BLANK_CHOICE_LABEL

    with translation.override("zh-hans"):
        assert str(BLANK_CHOICE_LABEL) == "- 请选择 -"
