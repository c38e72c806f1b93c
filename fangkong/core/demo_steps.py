"""Steps that `fangkong demo` runs after the population is in place.

Each app registers a step in its AppConfig.ready: a function (seed) → one summary line.
A step must be idempotent: a second `make run` calls it again on the same database."""

from collections.abc import Callable

_steps: list[tuple[str, Callable[[int], str]]] = []


def register(name: str, step: Callable[[int], str]) -> None:
    if all(existing != name for existing, _ in _steps):
        _steps.append((name, step))


def steps() -> list[tuple[str, Callable[[int], str]]]:
    return list(_steps)
