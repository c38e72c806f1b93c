"""Steps that `fangkong demo` runs, each registered by the app that owns its data, so the
command (in `core`) imports no app above the ground floor.

Ground steps (`register_ground`) lay the foundation in their `order`, after the
jurisdiction tree and its grids (geo, which the command calls itself): the demo
accounts (accounts), the synthetic population (people). They take the command's options and write their own lines. `--core-only`
runs only these.

App steps (`register`) run after the population is in place: a function (seed) → one
summary line, registered in the app's AppConfig.ready.

A step must be idempotent: a second `make run` calls it again on the same database."""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Options:
    persons: int
    seed: int
    force: bool  # add persons even if some exist


# (options, write one line) -> None
GroundStep = Callable[[Options, Callable[[str], None]], None]

_ground: list[tuple[int, str, GroundStep]] = []
_steps: list[tuple[str, Callable[[int], str]]] = []
_last: set[str] = set()


def register_ground(name: str, step: GroundStep, *, order: int) -> None:
    """A foundation step; steps run by ascending `order` (accounts 20, people 30)."""
    if all(existing != name for _order, existing, _step in _ground):
        _ground.append((order, name, step))


def ground_steps() -> list[tuple[str, GroundStep]]:
    return [(name, step) for _order, name, step in sorted(_ground, key=lambda s: s[0])]


def register(name: str, step: Callable[[int], str], *, last: bool = False) -> None:
    """`last=True`: the step reads what the others wrote (the briefing) and runs after
    every other step, whatever the order of INSTALLED_APPS."""
    if all(existing != name for existing, _ in _steps):
        _steps.append((name, step))
    if last:
        _last.add(name)


def steps() -> list[tuple[str, Callable[[int], str]]]:
    return [s for s in _steps if s[0] not in _last] + [s for s in _steps if s[0] in _last]
