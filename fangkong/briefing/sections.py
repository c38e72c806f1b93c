"""The briefing's side of the section registry (`core.sections`): each app registers its
own section in its AppConfig.ready and answers from its own named queries; the briefing
asks them in order with one cut-off window and reads no app's tables itself."""

import datetime as dt
from typing import Any

from fangkong.analytics.inputs import CaseRow
from fangkong.core import sections as registry
from fangkong.core.sections import Answer, Window, section


def has(name: str) -> bool:
    """A section of that name is registered (its app is installed)."""
    return section(name) is not None


def label(name: str, value: object) -> str:
    """The owning app's words for the stored figure of section `name` (the response
    level "I" is 一级响应), in the reader's language."""
    return registry.label(name, value)


def ask(name: str, path: str, window: Window) -> Answer | None:
    s = section(name)
    return s.ask(path, window) if s is not None else None


def cases(
    path: str, since: dt.datetime, cutoff: dt.datetime
) -> tuple[dict[str, Any], list[CaseRow]]:
    """The cases section's counts and its rows of confirmed cases, for the 24 hours
    ending at `cutoff` (`since` is the cut-off minus 24 hours)."""
    answer = ask("cases", path, Window(since, cutoff, _day(cutoff)))
    if answer is None:
        return {}, []
    return answer.figures, list(answer.rows)


def _day(at: dt.datetime) -> dt.date:
    from django.utils import timezone

    return timezone.localdate(at)
