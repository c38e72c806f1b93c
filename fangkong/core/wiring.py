"""An app's start-up wiring, declared on its `AppConfig` instead of written out in each
`ready()`: its role rows (`<app>.permissions`), the models the audit log records, its
hooks (`<app>.hooks`), its parts of the daily briefing (`<app>.briefing`, through
`core.sections`; the briefing imports no app) and its demo step. An app subclasses
`Wired` (import this module, not the class: Django takes the one `AppConfig` class an
`apps.py` holds as the app's) and names what it has; `ready()` wires it in that order,
and an app with more to do calls `super().ready()` first."""

from importlib import import_module
from typing import Any, ClassVar, NamedTuple

from django.apps import AppConfig, apps


def excluding(*fields: str) -> dict[str, Any]:
    """Audit options that leave `fields` out of the entries."""
    return {"exclude_fields": list(fields)}


# A record placed in the tree by its own path column: the path is where the record is
# seen from, not a change worth an entry; a stamped one also keeps when it was created
# and last updated.
PLACED_FIELDS = ("path",)
STAMPED_FIELDS = ("created_at", "updated_at", "path")


def plain(*models: str) -> dict[str, dict[str, Any]]:
    """`audited` entries of models audited in full."""
    return {model: {} for model in models}


def placed(*models: str) -> dict[str, dict[str, Any]]:
    return {model: excluding(*PLACED_FIELDS) for model in models}


def stamped(*models: str) -> dict[str, dict[str, Any]]:
    return {model: excluding(*STAMPED_FIELDS) for model in models}


class Part(NamedTuple):
    """A part of the daily briefing: `figures` names the function in `<app>.briefing`."""

    name: str
    order: int
    figures: str = "section"
    listed: bool = True
    label: str = ""  # names the function of `<app>.briefing` giving a stored code its words


class Wired(AppConfig):
    permissions: ClassVar[bool] = True  # `<app>.permissions` grants the role rows
    # model name (or "app.Model" of another app) → auditlog options
    audited: ClassVar[dict[str, dict[str, Any]]] = {}
    hooks: ClassVar[str] = ""  # the function of `<app>.hooks` that registers the rest
    sections: ClassVar[tuple[Part, ...]] = ()
    demo_step: ClassVar[str] = ""  # "module:function" of the app's demo step, run lazily

    def _module(self, name: str) -> Any:
        return import_module(f"{self.name}.{name}")

    def ready(self) -> None:
        if self.permissions:
            self._module("permissions")
        if self.audited:
            from auditlog.registry import auditlog

            for model, options in self.audited.items():
                found = apps.get_model(model) if "." in model else self.get_model(model)
                auditlog.register(found, **options)
        if self.hooks:
            getattr(self._module("hooks"), self.hooks)()
        if self.sections:
            from fangkong.core.sections import register_section

            briefing = self._module("briefing")
            for part in self.sections:
                register_section(
                    part.name,
                    getattr(briefing, part.figures),
                    part.order,
                    listed=part.listed,
                    label=getattr(briefing, part.label) if part.label else None,
                )
        if self.demo_step:
            from fangkong.core import demo_steps

            demo_steps.register(self.label, self._demo)

    def _demo(self, seed: int) -> str:
        """The app's demo step, its module imported only when the demo is built."""
        module, function = self.demo_step.split(":")
        return str(getattr(self._module(module), function)(seed))
