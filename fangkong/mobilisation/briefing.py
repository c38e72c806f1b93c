"""The mobilisation section of the daily briefing: organisations mobilised, members
registered, posts staffed, shifts, overrides, as of the cut-off (`figures.compute`).
Registered in MobilisationConfig.ready."""

from fangkong.core.sections import Window
from fangkong.mobilisation import figures


def section(path: str, window: Window) -> dict[str, int]:
    return figures.briefing_summary(path, window.as_of, window.end)
