"""The sections of the daily briefing, each owned by its app.

An app registers its section in its AppConfig.ready:
`register_section(name, figures, order)`; `figures(path, window)` answers for the
subtree at `path` and the cut-off `window` with plain JSON values, read through the
app's own named queries. The briefing (and the leaders' cockpit, which reads the same
sections live) asks every registered section in `order` and stores each answer under
its name; the apps never import the briefing, and the briefing reads no app's tables.

- `None` means the app has nothing to report: the section is left out. A figure that may
  itself be None (the response level) is answered as `Answer(None)`.
- `Answer(figures, rows=…, clusters=…)` also hands over what stands behind the figures
  for the briefing's own analysis (not stored): the cases section's case rows and
  clusters, from which the briefing draws the curve, Rt and the risk map.
- `listed=False`: a figure of the briefing's header (persons, the response level, the
  notices), not named in its list of sections.
- `label(value)`: the owning app's words for a stored figure that is a code (the response
  level "I" is 一级响应). The briefing stores the code and asks for the words when it is
  read, in the reader's language, through `label(name, value)`: it never imports the
  owner's choices.

One `Window` is passed to every section: the 24 hours before the cut-off (`start`,
`end`, aware datetimes) and the day briefed (`as_of`, in the deployment's zone)."""

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone

from fangkong.core.querysets import system_actor


@dataclass(frozen=True)
class Window:
    start: dt.datetime  # the cut-off minus 24 hours
    end: dt.datetime  # the cut-off
    as_of: dt.date  # the day briefed, in the deployment's zone

    @classmethod
    def ending(cls, end: dt.datetime, as_of: dt.date | None = None) -> "Window":
        """The 24 hours before `end`; the day is `end`'s own in the deployment's zone
        unless given (a briefing's day, whose cut-off may fall on it)."""
        return cls(end - dt.timedelta(days=1), end, as_of or timezone.localdate(end))


@dataclass(frozen=True)
class Answer:
    figures: Any
    rows: Sequence[Any] = ()
    clusters: Sequence[tuple[str, dt.date]] = field(default_factory=tuple)


@dataclass(frozen=True)
class Section:
    name: str
    figures: Callable[[str, Window], Any]
    order: int
    listed: bool = True
    label: Callable[[Any], str] | None = None

    def ask(self, path: str, window: Window) -> Answer | None:
        answer = self.figures(path, window)
        if answer is None or isinstance(answer, Answer):
            return answer
        return Answer(answer)


_sections: dict[str, Section] = {}


def register_section(
    name: str,
    figures: Callable[[str, Window], Any],
    order: int,
    *,
    listed: bool = True,
    label: Callable[[Any], str] | None = None,
) -> None:
    _sections[name] = Section(name, figures, order, listed, label)


def sections() -> list[Section]:
    return sorted(_sections.values(), key=lambda s: (s.order, s.name))


def section(name: str) -> Section | None:
    return _sections.get(name)


def label(name: str, value: Any) -> str:
    """The words the section `name`'s app gives its stored figure `value`; "" for no
    value. A section without a label (or not installed) shows the value as it is."""
    if value is None or value == "":
        return ""
    s = _sections.get(name)
    return str(s.label(value)) if s is not None and s.label is not None else str(value)


def under(model: Any, path: str) -> Any:
    """The rows of `model` in the subtree at `path`, through `restrict` as the system."""
    return model.objects.restrict(system_actor(), "view").filter(path__startswith=path)
