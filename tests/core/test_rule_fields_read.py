"""Issue #15, item 5: every setting of every dated rule set is read by code that applies
it (a setting no code reads changes nothing and misleads headquarters)."""

import re
from pathlib import Path

from django.apps import apps

from fangkong.core.models import DatedRuleSet

ROOT = Path(__file__).resolve().parents[2] / "fangkong"
# Files that only declare, store, edit or show a setting do not apply it.
NOT_APPLYING = {"models.py", "admin.py", "api.py", "schemas.py", "forms.py", "views.py"}


STR_METHOD = re.compile(r"def __str__\(self\).*?(?=\n    (?:def |@)|\nclass |\Z)", re.S)


def _applying_sources() -> str:
    parts = []
    for path in ROOT.rglob("*.py"):
        if "migrations" in path.parts or "locale" in path.parts:
            continue
        text = path.read_text(encoding="utf-8")
        if path.name == "models.py":
            # a rule set's own accessor (`self.weights` in a method) counts, its label not
            parts.append("\n".join(re.findall(r"self\.\w+", STR_METHOD.sub("", text))))
        elif path.name not in NOT_APPLYING:
            parts.append(text)
    return "\n".join(parts)


def rule_set_fields() -> list[tuple[str, str]]:
    base = {f.name for f in DatedRuleSet._meta.get_fields()}
    found = []
    for model in apps.get_models():
        if issubclass(model, DatedRuleSet):
            for f in model._meta.concrete_fields:
                if f.name not in base and f.name != "id":
                    found.append((model._meta.label, f.name))
    return found


def test_the_check_sees_every_rule_set():
    labels = {label for label, _f in rule_set_fields()}
    assert {"healthcode.CodeRules", "tracing.TracingRules", "briefing.BriefingRules"} <= labels


def test_every_rule_set_field_is_read_by_code_that_applies_it():
    source = _applying_sources()
    unread = [
        f"{label}.{name}"
        for label, name in rule_set_fields()
        if not re.search(rf"\.{re.escape(name)}\b|[\"']{re.escape(name)}[\"']\]", source)
    ]
    assert unread == [], "rule settings no code reads: " + ", ".join(unread)
