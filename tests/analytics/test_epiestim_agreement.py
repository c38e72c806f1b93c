"""Rt agrees with R's EpiEstim::estimate_R (and wallinga_teunis) to a relative error < 1e-6.

EpiEstim runs once per session on its own example data and on random series; our
estimator runs on the same inputs, one series at a time, all at once, and through the
`fangkong rt` command.
"""

from __future__ import annotations

import csv
import io

import numpy as np
import pytest
from django.core.management import call_command

from fangkong.analytics.rt import estimate_rt
from fangkong.analytics.serial import discr_si
from fangkong.analytics.simulate import simulate_renewal
from fangkong.analytics.wallinga_teunis import estimate_wallinga_teunis

from .conftest import Case, run_epiestim

RTOL = 1e-6
DATASET_CASES = [
    Case("flu2009_np", "non_parametric_si", dataset="Flu2009", wt=True),
    Case("flu2009_p", "parametric_si", dataset="Flu2009", mean_si=2.6, std_si=1.5, wt=True),
    Case("flu1918_np", "non_parametric_si", dataset="Flu1918"),
    Case("measles1861_np", "non_parametric_si", dataset="Measles1861"),
    Case("sars2003_np", "non_parametric_si", dataset="SARS2003", wt=True),
    Case("smallpox1972_np", "non_parametric_si", dataset="Smallpox1972"),
    Case("mers_p_imported", "parametric_si", dataset="mers_2014_15", wt=True),
    Case("rotavirus_p", "parametric_si", dataset="MockRotavirus", mean_si=3.2, std_si=1.4),
    Case("nyc_school_p", "parametric_si", dataset="flu_2009_NYC_school", mean_si=2.6, std_si=1.5),
    Case("flu1918_np_w14", "non_parametric_si", dataset="Flu1918", window=14),
]
RANDOM_DAYS = 120
N_RANDOM = 4


def _random_cases() -> list[Case]:
    rng = np.random.default_rng(20200123)
    cases: list[Case] = []
    # Renewal epidemics with step changes, imported cases throughout (SI 6.3 ± 4.2).
    steps = np.repeat([[2.2, 0.8, 1.3]], N_RANDOM, axis=0) * rng.uniform(0.8, 1.2, (N_RANDOM, 1))
    r_t = np.repeat(steps, RANDOM_DAYS // 3, axis=1)
    w = discr_si(np.arange(RANDOM_DAYS), 6.3, 4.2)
    local, imported = simulate_renewal(r_t, w, seed_cases=5, imported_rate=0.7, seed=7)
    for i in range(N_RANDOM):
        cases.append(Case(f"renewal_p_{i}", "parametric_si", mean_si=6.3, std_si=4.2, wt=(i == 0)))
        cases[-1].local, cases[-1].imported = local[i], imported[i]
    # Sparse noise with many zero days, non-parametric random serial interval.
    for i in range(3):
        si = np.concatenate([[0.0], rng.dirichlet(np.ones(10 + 3 * i))])
        case = Case(f"sparse_np_{i}", "non_parametric_si", si_distr=si, wt=(i == 0))
        case.local = rng.poisson(rng.uniform(0.3, 4.0), 60 + 20 * i).astype(float)
        case.imported = rng.binomial(2, 0.1, case.local.size).astype(float)
        cases.append(case)
    # The other published serial intervals (sd > mean for Du et al.), a 10-day window.
    for mean, sd, window in ((3.96, 4.75, 7), (7.5, 3.4, 10)):
        case = Case(f"poisson_p_{mean}", "parametric_si", mean_si=mean, std_si=sd, window=window)
        case.local = rng.poisson(rng.uniform(5, 40), 90).astype(float)
        case.imported = rng.poisson(1.0, 90).astype(float)
        cases.append(case)
    return cases


RANDOM_CASES = _random_cases()
ALL_CASES = DATASET_CASES + RANDOM_CASES


@pytest.fixture(scope="session")
def reference(rscript, tmp_path_factory):
    return run_epiestim(rscript, ALL_CASES, tmp_path_factory.mktemp("epiestim"))


def _si_kwargs(ref):
    if ref.si_distr is not None:
        return {"si_distr": ref.si_distr}
    return {"si_mean": ref.mean_si, "si_sd": ref.std_si}


def _ours(est, row=0) -> np.ndarray:
    return np.column_stack(
        [est.t_start, est.t_end, est.mean[row], est.std[row], est.quantiles[row]]
    )


def assert_agrees(ours: np.ndarray, theirs: np.ndarray) -> None:
    assert ours.shape == theirs.shape
    assert np.array_equal(np.isnan(ours), np.isnan(theirs)), "reported windows differ"
    both = ~np.isnan(theirs)
    diff = np.abs(ours[both] - theirs[both])
    scale = np.abs(theirs[both])
    rel = np.divide(diff, scale, out=diff.copy(), where=scale > 0)  # absolute where R gives 0
    assert rel.max() < RTOL, f"max relative error {rel.max():.3g}"


@pytest.mark.parametrize("case", ALL_CASES, ids=lambda c: c.id)
def test_rt_agrees_with_estimate_r(reference, case):
    ref = reference[case.id]
    est = estimate_rt(ref.local, ref.imported, window=case.window, **_si_kwargs(ref))
    assert_agrees(_ours(est), ref.table)
    assert est.si_mean == pytest.approx(ref.si_moments[0], rel=RTOL)
    assert est.si_sd == pytest.approx(ref.si_moments[1], rel=RTOL)


def test_rt_for_many_jurisdictions_at_once_agrees(reference):
    ids = [f"renewal_p_{i}" for i in range(N_RANDOM)]
    local = np.vstack([reference[i].local for i in ids])
    imported = np.vstack([reference[i].imported for i in ids])
    est = estimate_rt(local, imported, si_mean=6.3, si_sd=4.2)
    assert est.mean.shape == (N_RANDOM, RANDOM_DAYS - 7)  # t_start = 2..T-6
    for row, case_id in enumerate(ids):
        assert_agrees(_ours(est, row), reference[case_id].table)


@pytest.mark.parametrize("case", ALL_CASES, ids=lambda c: c.id)
def test_rt_command_agrees_with_estimate_r(reference, case, tmp_path):
    ref = reference[case.id]
    args = ["--incidence", str(ref.files["incidence"]), "--window", str(case.window)]
    if ref.si_distr is not None:
        args += ["--si-distr", str(ref.files["si"])]
    else:
        args += ["--si-mean", repr(ref.mean_si), "--si-sd", repr(ref.std_si)]
    out = tmp_path / "rt.csv"
    call_command("rt", *args, "--out", str(out), stderr=io.StringIO())
    with out.open() as fh:
        rows = list(csv.reader(fh))
    assert rows[0] == [
        "t_start", "t_end", "mean", "std", "q025", "q05", "q25", "median", "q75", "q95", "q975"
    ]  # fmt: skip
    ours = np.array([[float(v) for v in row] for row in rows[1:]])
    theirs = ref.table[~np.isnan(ref.table[:, 2])]
    assert_agrees(ours, theirs)


WT_CASES = [c for c in ALL_CASES if c.wt]


@pytest.mark.parametrize("case", WT_CASES, ids=lambda c: c.id)
def test_wallinga_teunis_agrees_with_epiestim(reference, case):
    ref = reference[case.id]
    est = estimate_wallinga_teunis(ref.local, ref.imported, **_si_kwargs(ref))
    kept = ~np.isnan(est.mean[0])
    ours = np.column_stack([est.t_start[kept], est.t_end[kept], est.mean[0][kept]])
    assert_agrees(ours, ref.wt)
