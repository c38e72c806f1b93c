"""Figures other apps offer to prefill a report submission (a registry filled in each
app's AppConfig.ready, so command imports no domain app). A provider is called with
(node, period, field names) and returns {field name: value} for the fields it knows."""

import datetime as dt
from collections.abc import Callable
from typing import Any

Provider = Callable[[Any, dt.date, list[str]], dict[str, Any]]
_providers: list[Provider] = []


def register(provider: Provider) -> None:
    if provider not in _providers:
        _providers.append(provider)


def initial_for(template: Any, node: Any, period: dt.date) -> dict[str, Any]:
    """Initial values of the submission form's figure fields (f0, f1, …)."""
    if node is None:
        return {}
    names = list(template.fields)
    values: dict[str, Any] = {}
    for provider in _providers:
        for name, value in provider(node, period, names).items():
            values.setdefault(name, value)
    return {f"f{i}": values[name] for i, name in enumerate(names) if name in values}
