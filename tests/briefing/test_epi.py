import datetime as dt

import numpy as np

from fangkong.analytics.serial import discr_si
from fangkong.analytics.simulate import simulate_renewal
from fangkong.briefing import epi, rules

DAY = dt.date(2020, 2, 20)


def rows(counts, path="3306/330602/330602001/", imported=False):
    start = DAY - dt.timedelta(days=len(counts) - 1)
    return [
        epi.CaseRow(start + dt.timedelta(days=i), path, imported)
        for i, n in enumerate(counts)
        for _ in range(n)
    ]


def test_curve_counts_local_and_imported_by_report_day():
    cases = rows([0, 2, 1]) + rows([1, 0, 0], imported=True)
    cv = epi.curve(cases, DAY, 5)
    assert cv["local"] == [0, 0, 0, 2, 1]
    assert cv["imported"] == [0, 0, 1, 0, 0]
    assert cv["onset"] is None
    assert cv["days"][-1] == DAY.isoformat()


def test_rt_growth_forecast_on_a_simulated_epidemic():
    local, imported = simulate_renewal(
        np.full(60, 1.3), discr_si(np.arange(61), 6.3, 4.2), seed_cases=20, seed=3
    )
    cases = rows([int(x) for x in local[0]]) + rows([int(x) for x in imported[0]], imported=True)
    cv = epi.curve(cases, DAY, 60)
    out = epi.rt_growth_forecast(cv, DAY, epi.Params())
    latest = out["rt"]["latest"]
    assert latest["low"] < 1.3 < latest["high"]
    assert out["growth"]["status"] == "growing" and out["growth"]["doubling_time"] > 0
    assert len(out["forecast"]["median"]) == 14
    again = epi.rt_growth_forecast(cv, DAY, epi.Params())
    assert again["forecast"] == out["forecast"]  # seeded: a stored briefing recomputes identically


def test_no_case_means_no_estimates():
    cv = epi.curve([], DAY, 30)
    assert epi.rt_growth_forecast(cv, DAY, epi.Params()) == {
        "rt": None,
        "growth": None,
        "forecast": None,
    }


def test_risk_map_levels_and_colours_with_inputs():
    yuecheng = epi.Rated("330602", "越城区", "county", "3306/330602/")
    tashan = epi.Rated("330602001", "塔山街道", "town", "3306/330602/330602001/")
    zhuji = epi.Rated("330681", "诸暨市", "county", "3306/330681/")
    cases = rows([3] * 20, "3306/330602/330602001/")  # 60 cases, last today
    cases += [epi.CaseRow(DAY - dt.timedelta(days=20), "3306/330681/330681001/")]
    clusters = [("3306/330602/330602001/", DAY - dt.timedelta(days=3))]
    out = {r["code"]: r for r in epi.risk_map(cases, clusters, [yuecheng, tashan, zhuji], DAY)}
    assert out["330602"]["risk"] == "high" and out["330602"]["cumulative"] == 60
    assert out["330602"]["colour"] in {"orange", "red"}
    assert out["330602001"]["clusters"] == 1 and out["330602001"]["days_since_last_case"] == 0
    assert out["330681"]["risk"] == "low" and out["330681"]["days_since_last_case"] == 20
    assert out["330681"]["colour"] == "green" and out["330681"]["base_colour"] != "green"  # eased


def test_change_since_yesterday():
    today = {"cases": {"confirmed": {"cumulative": 12}}, "persons": {"total": 5}}
    yesterday = {"cases": {"confirmed": {"cumulative": 10}}, "persons": {"total": 5}}
    change = rules.change_since(today, yesterday)
    assert change["confirmed"] == {"today": 12, "yesterday": 10, "delta": 2}
    assert change["persons"]["delta"] == 0
    assert rules.change_since(today, None)["confirmed"]["yesterday"] is None
