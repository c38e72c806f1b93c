import datetime as dt

import numpy as np

from fangkong.analytics import rt
from fangkong.analytics.inputs import CaseRow
from fangkong.analytics.serial import discr_si
from fangkong.analytics.simulate import simulate_renewal
from fangkong.briefing import epi, rules

DAY = dt.date(2020, 2, 20)


def rows(counts, path="3306/330602/330602001/", imported=False):
    start = DAY - dt.timedelta(days=len(counts) - 1)
    return [
        CaseRow(start + dt.timedelta(days=i), path, imported)
        for i, n in enumerate(counts)
        for _ in range(n)
    ]


def test_curve_counts_local_and_imported_by_report_day():
    cases = rows([0, 2, 1]) + rows([1, 0, 0], imported=True)
    cv = epi.curve(cases, DAY, 5)
    assert cv["local"] == [0, 0, 0, 2, 1]
    assert cv["imported"] == [0, 0, 1, 0, 0]
    assert cv["basis"] == "report" and cv["onset_local"] is None
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
    cases += [CaseRow(DAY - dt.timedelta(days=20), "3306/330681/330681001/")]
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


def onset_rows(counts, delays, imported=False, path="3306/330602/330602001/"):
    """Cases by onset day (the last entry is DAY); each reported `delays[k % len]` days
    later, and seen only if reported by DAY."""
    start = DAY - dt.timedelta(days=len(counts) - 1)
    out, k = [], 0
    for i, n in enumerate(counts):
        for _ in range(int(n)):
            onset = start + dt.timedelta(days=i)
            report = onset + dt.timedelta(days=delays[k % len(delays)])
            k += 1
            if report <= DAY:
                out.append(CaseRow(report, path, imported, onset))
    return out


def test_curve_by_onset_and_report_date_local_and_imported():
    cases = [
        CaseRow(DAY - dt.timedelta(days=1), "p/", False, DAY - dt.timedelta(days=4)),
        CaseRow(DAY - dt.timedelta(days=1), "p/", True, DAY - dt.timedelta(days=3)),
        CaseRow(DAY, "p/", False, DAY - dt.timedelta(days=2)),
        CaseRow(DAY, "p/", True, DAY - dt.timedelta(days=4)),
        CaseRow(DAY, "p/", False, None),  # asymptomatic: no onset
    ]
    cv = epi.curve(cases, DAY, 6)
    assert cv["basis"] == "onset"
    assert cv["onset_local"] == [0, 1, 0, 1, 0, 0]
    assert cv["onset_imported"] == [0, 1, 1, 0, 0, 0]
    assert cv["local"] == [0, 0, 0, 0, 1, 2]  # by report date, the second series
    assert cv["imported"] == [0, 0, 0, 0, 1, 1]
    assert cv["onset_missing"] == 1 and cv["imputed"] == 1
    assert cv["delay_median"] == 2  # delays 3, 2, 2, 4 (the low median: an observed delay)
    # Rt's incidence: the case without onset placed the median delay before its report.
    assert cv["rt_local"] == [0, 1, 0, 2, 0, 0]
    assert cv["rt_imported"] == cv["onset_imported"]
    assert (
        cv["delay_high"] == 4 and cv["truncated_from"] == (DAY - dt.timedelta(days=3)).isoformat()
    )


def test_rt_by_onset_counts_imported_cases_only_as_infectors_and_flags_truncation():
    si = discr_si(np.arange(91), 6.3, 4.2)
    local, imported = simulate_renewal(
        np.full(90, 1.2), si, seed_cases=15, imported_rate=4.0, seed=5
    )
    delays = [1, 2, 3, 3, 4, 5, 6]
    cases = onset_rows(local[0], delays) + onset_rows(imported[0], delays, imported=True)
    cv = epi.curve(cases, DAY, 60)
    p = epi.Params()
    out = epi.rt_growth_forecast(cv, DAY, p)
    rt_out = out["rt"]
    assert rt_out["basis"] == "onset" and cv["delay_high"] == 6
    # Exactly Cori on local incidence by onset, imported cases in Λ only.
    expected = rt.estimate_rt(
        np.array(cv["rt_local"], float), np.array(cv["rt_imported"], float), si_mean=6.3, si_sd=4.2
    )
    means = [m for m in expected.mean[0] if not np.isnan(m)]
    assert [r["mean"] for r in rt_out["series"]] == [round(float(m), 4) for m in means]
    as_local = rt.estimate_rt(
        np.array(cv["rt_local"], float) + np.array(cv["rt_imported"], float),
        si_mean=6.3,
        si_sd=4.2,
    )
    assert np.nanmax(as_local.mean[0] - expected.mean[0]) > 0.05  # imports would inflate Rt
    # The last windows end in days whose onsets are not all reported yet: flagged, not
    # hidden, and biased low; the headline is the latest complete window and covers R.
    flagged = [r for r in rt_out["series"] if r["right_truncated"]]
    assert len(flagged) == 6 and rt_out["series"][-1] in flagged
    assert rt_out["truncated_from"] == (DAY - dt.timedelta(days=5)).isoformat()
    latest = rt_out["latest"]
    assert (
        not latest["right_truncated"] and latest["day"] == (DAY - dt.timedelta(days=6)).isoformat()
    )
    assert latest["low"] < 1.2 < latest["high"]
    assert flagged[-1]["mean"] < latest["mean"]
    assert len(out["forecast"]["median"]) == p.forecast_days


def test_without_onsets_rt_is_by_report_date():
    cases = rows(list(range(3, 23)))
    cv = epi.curve(cases, DAY, 20)
    out = epi.rt_growth_forecast(cv, DAY, epi.Params())
    assert out["rt"]["basis"] == "report" and out["rt"]["truncated_from"] is None
    assert not any(r["right_truncated"] for r in out["rt"]["series"])
