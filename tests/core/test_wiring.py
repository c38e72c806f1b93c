"""Issue #22: an app's start-up wiring is declared on its config (`core.wiring.Wired`);
what it names must exist, and what it declares is registered."""

from importlib import import_module

from auditlog.registry import auditlog
from django.apps import apps

from fangkong.core import demo_steps, sections
from fangkong.core.wiring import Wired


def _wired() -> list[Wired]:
    return [c for c in apps.get_app_configs() if isinstance(c, Wired)]


def test_most_domain_apps_are_wired():
    assert {"clinical", "screening", "supplies", "tracing", "command"} <= {
        c.label for c in _wired()
    }


def test_every_declared_model_is_audited_with_its_options():
    for config in _wired():
        for name, options in config.audited.items():
            model = apps.get_model(name) if "." in name else config.get_model(name)
            assert auditlog.contains(model), name
            registered = auditlog._registry[model]
            for key, value in options.items():
                assert registered[key] == value, (name, key)


def test_every_declared_demo_step_hook_and_section_exists():
    registered = {name for name, _step in demo_steps._steps}
    for config in _wired():
        if config.demo_step:
            module, function = config.demo_step.split(":")
            assert callable(getattr(import_module(f"{config.name}.{module}"), function))
            assert config.label in registered
        if config.hooks:
            assert callable(getattr(import_module(f"{config.name}.hooks"), config.hooks))
        for part in config.sections:
            assert sections.section(part.name) is not None, part.name
