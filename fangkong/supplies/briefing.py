"""The supplies section of the daily briefing: items below their days-of-supply alert
and the day's price alerts (`supply_days.briefing_summary`). Registered in
SuppliesConfig.ready."""

from typing import Any

from fangkong.core.sections import Window
from fangkong.supplies import supply_days


def section(path: str, window: Window) -> dict[str, Any]:
    return supply_days.briefing_summary(path, window.as_of)
