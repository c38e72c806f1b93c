"""Supervision's section of the daily briefing: recorded inspections only."""

import datetime as dt

from fangkong.core import clock
from fangkong.supervision import actions
from fangkong.supervision.briefing import briefing_summary
from tests.supervision.conftest import DAY0, at


def test_briefing_counts_only_recorded_inspections(inspector, schedule, node):
    from tests.conftest import HUAYUAN

    insp = schedule("unannounced")
    actions.add_finding(inspector, insp, description="x")
    path = node(HUAYUAN).path
    cutoff = at(DAY0 + dt.timedelta(days=2), 8)
    s = briefing_summary(path, DAY0 + dt.timedelta(days=2), cutoff)
    assert s["unannounced"] == 0 and s["findings"] == 0
    with clock.frozen(at(DAY0 + dt.timedelta(days=1), 15)):
        actions.record_inspection(inspector, insp)
    s = briefing_summary(path, DAY0 + dt.timedelta(days=2), cutoff)
    assert s["unannounced"] == 1 and s["findings"] == 1 and s["new"] == 1


def test_briefing_page_shows_the_section(inspector, recorded_finding, node, settings, tmp_path):
    from django.template.loader import render_to_string

    html = render_to_string(
        "briefing/_progress.html",
        {
            "data": {
                "supervision": {
                    "open": 1,
                    "unannounced": 0,
                    "new": 1,
                    "findings": 1,
                    "tasks_open": 2,
                    "tasks_overdue": 1,
                    "tasks_closed": 0,
                }
            }
        },
    )
    assert "Rectification: 2 open, 1 overdue, 0 closed" in html
