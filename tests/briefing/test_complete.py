"""Issue #15, item 7: the briefing's tracing and health-code sections, Rt shown as
"insufficient data" for non-credible windows, the PDF curve's date axis, the
unknown-home flag, and no paragraph printed twice."""

import datetime as dt
import re
from collections import Counter

import numpy as np
import pytest
from django.urls import reverse

from fangkong.briefing import epi, pdf
from fangkong.briefing.compute import compute
from fangkong.core import clock
from tests.briefing.conftest import DAY0, at
from tests.conftest import YUECHENG

pytestmark = pytest.mark.django_db


def _curve(counts):
    days = len(counts)
    return {
        "local": counts,
        "imported": [0] * days,
        "basis": "report",
        "days": [(DAY0 - dt.timedelta(days=days - 1 - i)).isoformat() for i in range(days)],
    }


def test_non_credible_rt_windows_are_insufficient_data_not_points():
    quiet = _curve([1, 0, 0, 2, 0, 0, 1] * 4)
    out = epi.rt_growth_forecast(quiet, DAY0, epi.Params(rt_min_cases=12, rt_max_width=2.0))
    assert out["rt"]["series"] and all(r["insufficient"] for r in out["rt"]["series"])
    assert all(r["mean"] is None for r in out["rt"]["series"])
    assert out["forecast"] is None
    busy = _curve([int(v) for v in np.linspace(10, 40, 28)])
    out = epi.rt_growth_forecast(busy, DAY0, epi.Params(rt_min_cases=12, rt_max_width=2.0))
    latest = out["rt"]["latest"]
    assert not latest["insufficient"] and latest["mean"] is not None
    assert latest["high"] - latest["low"] <= 2.0


def test_pdf_curve_has_a_dated_axis():
    svg = pdf.curve_svg(_curve([1] * 20))
    ticks = re.findall(r'class="date-tick">([0-9-]+)<', svg)
    assert ticks[0] == (DAY0 - dt.timedelta(days=19)).isoformat()[5:]
    assert ticks[-1] == DAY0.isoformat()[5:] and len(ticks) >= 3


def test_tracing_and_health_code_sections_and_no_repeated_paragraph(
    make_person, make_user, add_case, login
):
    from fangkong.healthcode import actions as codes
    from fangkong.tracing import actions as tracing
    from fangkong.tracing.models import Contact

    cdc = make_user("cdc", YUECHENG)
    with clock.frozen(at(DAY0 - dt.timedelta(days=1), 10)):
        index = tracing.open_index_case(
            cdc, make_person("病例"), {"onset_date": DAY0 - dt.timedelta(days=2)}
        )
        exposure = {"setting": "household", "first_exposure": DAY0 - dt.timedelta(days=2)}
        fast = tracing.add_contact(cdc, index, {"person": make_person("密接一"), **exposure})
        tracing.confirm_contact(cdc, fast)
        tracing.add_contact(cdc, index, {"person": make_person("密接二"), **exposure})
        tracing.add_contact(cdc, None, {"name": "次密接", **exposure}, source_contact=fast)
        codes.daily_checkin(
            make_person("发热者"),
            client_id="3f0c0e2e-1111-4a4a-9b9b-000000000001",
            temperature="38.1",
        )
        add_case(at(DAY0 - dt.timedelta(days=1), 11))
    with clock.frozen(at(DAY0, 9)):
        b = compute(
            __import__("fangkong.geo.models", fromlist=["Division"]).Division.objects.get(
                code=YUECHENG
            ),
            DAY0,
        )
    t = b.data["tracing"]
    assert t["index_cases"] == 1 and t["contacts"] == 2 and t["contacts_per_case"] == 2.0
    assert t["close"] == Contact.objects.filter(category="close").count() == 2
    assert t["close_controlled_24h"] == 1 and t["secondary"] == 1
    hc = b.data["healthcode"]
    (county,) = hc["counties"]
    assert county["code"] == YUECHENG and county["red"] >= 2 and county["yellow"] == 1
    body = (
        login(make_user("county_hq", YUECHENG))
        .get(reverse("briefing:detail", args=[YUECHENG, str(DAY0)]))
        .content.decode()
    )
    assert 'id="tracing-section"' in body and 'id="healthcode-section"' in body
    paragraphs = [
        re.sub(r"\s+", " ", p).strip()
        for p in re.findall(r"<(?:p|li)[^>]*>(.*?)</(?:p|li)>", body, re.S)
    ]
    repeated = [p for p, n in Counter(paragraphs).items() if n > 1 and len(p) > 20]
    assert repeated == []


def test_a_case_without_home_is_flagged(add_case, node, login, make_user):
    with clock.frozen(at(DAY0, 9)):
        add_case(at(DAY0 - dt.timedelta(days=1), 10))  # home unknown ("" home_path)
        b = compute(node(YUECHENG), DAY0)
    assert b.data["cases"]["home_unknown"] == 1
    body = (
        login(make_user("county_hq", YUECHENG))
        .get(reverse("briefing:detail", args=[YUECHENG, str(DAY0)]))
        .content.decode()
    )
    assert 'id="home-unknown"' in body


def test_a_fact_after_the_computation_marks_todays_briefing(
    make_person, node, login, make_user, django_capture_on_commit_callbacks
):
    from fangkong.healthcode import actions as codes

    person = make_person("晚报者")
    with clock.frozen(at(DAY0, 9)):
        b = compute(node(YUECHENG), DAY0)
        assert b.facts_changed_at is None
        with django_capture_on_commit_callbacks(execute=True):
            codes.daily_checkin(
                person, client_id="3f0c0e2e-1111-4a4a-9b9b-000000000002", temperature="38.4"
            )
        b.refresh_from_db()
        assert b.facts_changed_at is not None  # the briefing's TASK consumer ran
        body = (
            login(make_user("county_hq", YUECHENG))
            .get(reverse("briefing:detail", args=[YUECHENG, str(DAY0)]))
            .content.decode()
        )
        assert 'id="facts-changed"' in body
        assert compute(node(YUECHENG), DAY0).facts_changed_at is None
