"""Steps that `fangkong demo` runs after the population is in place.

Each app registers a step in its AppConfig.ready: a function (seed) → one summary line.
A step must be idempotent: a second `make run` calls it again on the same database."""

from collections.abc import Callable

_steps: list[tuple[str, Callable[[int], str]]] = []
_last: set[str] = set()


def register(name: str, step: Callable[[int], str], *, last: bool = False) -> None:
    """`last=True`: the step reads what the others wrote (the briefing) and runs after
    every other step, whatever the order of INSTALLED_APPS."""
    if all(existing != name for existing, _ in _steps):
        _steps.append((name, step))
    if last:
        _last.add(name)


def steps() -> list[tuple[str, Callable[[int], str]]]:
    return [s for s in _steps if s[0] not in _last] + [s for s in _steps if s[0] in _last]
