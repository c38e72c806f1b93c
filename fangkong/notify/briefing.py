"""The notices figure of the daily briefing (its overdue part): notices of the 24 hours
before the cut-off, unanswered and failed (`coverage.briefing`). Registered in
NotifyConfig.ready."""

from fangkong.core.sections import Window
from fangkong.notify import coverage


def section(path: str, window: Window) -> dict[str, int]:
    return coverage.briefing(path, window.start, window.end)
