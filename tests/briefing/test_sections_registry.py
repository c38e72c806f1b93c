"""The briefing asks each app for its section through `core.sections`, in order, with one
cut-off window (issue #22 item 4)."""

import datetime as dt

import pytest
from django.utils import timezone

from fangkong.briefing.compute import compute
from fangkong.core import clock, sections
from tests.briefing.conftest import DAY0, at

pytestmark = pytest.mark.django_db


def test_every_section_is_registered_by_its_app_in_order():
    got = [(s.name, s.figures.__module__, s.listed) for s in sections.sections()]
    assert got == [
        ("persons", "fangkong.people.briefing", False),
        ("response_level", "fangkong.command.briefing", False),
        ("cases", "fangkong.clinical.briefing", True),
        ("tracing", "fangkong.tracing.briefing", True),
        ("healthcode", "fangkong.healthcode.briefing", True),
        ("screening", "fangkong.screening.briefing", True),
        ("observation", "fangkong.observation.briefing", True),
        ("supplies", "fangkong.supplies.briefing", True),
        ("mobilisation", "fangkong.mobilisation.briefing", True),
        ("supervision", "fangkong.supervision.briefing", True),
        ("command", "fangkong.command.briefing", True),
        ("notices", "fangkong.notify.briefing", False),
    ]


def test_the_window_is_the_24_hours_before_the_cutoff_and_the_day_in_the_zone():
    end = at(DAY0, 0, 30)  # half past midnight in Shanghai: still the evening before in UTC
    w = sections.Window.ending(end)
    assert (w.start, w.end) == (end - dt.timedelta(days=1), end)
    assert w.as_of == DAY0 == timezone.localdate(end)
    assert end.astimezone(dt.UTC).date() == DAY0 - dt.timedelta(days=1)


def test_a_registered_section_is_asked_with_the_one_window_and_stored(add_case, node, monkeypatch):
    asked = []

    def extra(path, window):
        asked.append((path, window))
        return {"n": 1}

    def nothing(path, window):
        return None

    monkeypatch.setitem(sections._sections, "extra", sections.Section("extra", extra, 105))
    monkeypatch.setitem(sections._sections, "quiet", sections.Section("quiet", nothing, 106))
    with clock.frozen(at(DAY0, 9)):
        add_case(at(DAY0, 7))
        b = compute(node("3306"), DAY0)
    assert b.data["extra"] == {"n": 1} and "quiet" not in b.data
    assert b.data["sections"][-2:] == ["extra", "command"]  # by order: supervision 100, command 110
    ((path, window),) = asked
    assert path == node("3306").path and window.as_of == DAY0
    assert window.end == b.cutoff_at and window.start == b.cutoff_at - dt.timedelta(days=1)


def test_a_section_gives_its_stored_code_its_words_through_the_registry():
    from django.utils import translation

    with translation.override("zh-hans"):
        assert sections.label("response_level", "II") == "二级响应"
        assert sections.label("response_level", None) == ""
        assert sections.label("cases", "x") == "x"  # no label: the value as it is
        assert sections.label("no-such-section", "IV") == "IV"
