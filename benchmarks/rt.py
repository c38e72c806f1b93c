"""Rt (Cori) for every village of Shaoxing (2,168 x 365 days) against R's EpiEstim.

Prints the time of our vectorised estimator (cold, and best of several runs), the time
of `EpiEstim::estimate_R` looping over the same series in R (loop only, start-up
excluded), their ratio, and the largest relative difference between the two.
Run: .venv/bin/python benchmarks/rt.py [--villages 2168] [--days 365] [--r-villages N]
"""

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from _db import machine  # noqa: E402

from fangkong.analytics.growth import growth_rate  # noqa: E402
from fangkong.analytics.rt import estimate_rt  # noqa: E402
from fangkong.analytics.serial import discr_si  # noqa: E402
from fangkong.analytics.simulate import simulate_renewal  # noqa: E402
from fangkong.analytics.wallinga_teunis import estimate_wallinga_teunis  # noqa: E402

SI_MEAN, SI_SD = 6.3, 4.2


def villages(n: int, days: int) -> tuple[np.ndarray, np.ndarray]:
    """An outbreak in every village: growth, lockdown, then a low simmer; a few importations."""
    rng = np.random.default_rng(2020)
    r_t = np.empty((n, days))
    r_t[:, :40] = rng.uniform(1.0, 1.6, (n, 1))
    r_t[:, 40:100] = rng.uniform(0.4, 0.8, (n, 1))
    r_t[:, 100:] = rng.uniform(0.7, 1.1, (n, 1))
    w = discr_si(np.arange(days), SI_MEAN, SI_SD)
    return simulate_renewal(r_t, w, seed_cases=3, imported_rate=0.03, seed=7)


def timed(fn, repeat: int) -> tuple[float, float]:
    t0 = time.perf_counter()
    fn()
    cold = time.perf_counter() - t0
    best = cold
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t0)
    return cold, best


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--villages", type=int, default=2168)
    parser.add_argument("--days", type=int, default=365)
    parser.add_argument("--r-villages", type=int, help="villages to run through R (default all)")
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    n, days = args.villages, args.days
    n_r = min(args.r_villages or n, n)

    print(f"machine: {machine()}")
    local, imported = villages(n, days)
    print(
        f"data: {n} villages x {days} days, {int(local.sum()):,} local and "
        f"{int(imported.sum()):,} imported cases"
    )

    def ours():
        return estimate_rt(local, imported, si_mean=SI_MEAN, si_sd=SI_SD)

    cold, best = timed(ours, args.repeat)
    est = ours()
    print(
        f"fangkong estimate_rt: cold {cold:.3f} s, best of {args.repeat} {best:.3f} s "
        f"({est.mean.size:,} windows, {int(est.uncertain.sum()):,} flagged uncertain)"
    )
    wt_cold, wt_best = timed(
        lambda: estimate_wallinga_teunis(local, imported, si_mean=SI_MEAN, si_sd=SI_SD), 2
    )
    print(f"fangkong Wallinga-Teunis (point estimates): best {wt_best:.3f} s")
    g_cold, g_best = timed(lambda: growth_rate(local + imported, days=14), 2)
    print(f"fangkong doubling time (14-day fit): best {g_best:.3f} s")

    with tempfile.TemporaryDirectory() as tmp:
        local.tofile(Path(tmp) / "local.bin")
        imported.tofile(Path(tmp) / "imported.bin")
        done = subprocess.run(
            ["Rscript", str(HERE / "rt_epiestim.R"), tmp, str(n), str(days), str(n_r)],
            capture_output=True,
            text=True,
            env={"TZ": "UTC", "PATH": "/usr/bin:/bin"},
        )
        if done.returncode != 0:
            sys.exit(f"R failed: {done.stderr}")
        r_seconds = float(done.stdout.split()[-1])
        r_out = np.fromfile(Path(tmp) / "r_out.bin").reshape(n_r, 9, days - 7)
    ours_table = np.concatenate(
        [est.mean[:n_r, None, :], est.std[:n_r, None, :], np.moveaxis(est.quantiles[:n_r], 2, 1)],
        axis=1,
    )
    both = ~np.isnan(r_out)
    assert np.array_equal(both, ~np.isnan(ours_table)), "reported windows differ"
    rel = np.abs(ours_table[both] - r_out[both]) / np.abs(r_out[both])
    r_full = r_seconds * n / n_r
    scaled = "" if n_r == n else f" (measured on {n_r} villages, scaled linearly to {n})"
    print(f"EpiEstim estimate_R in R: {r_full:.1f} s for {n} villages{scaled}")
    print(f"ratio EpiEstim / fangkong (best): {r_full / best:,.0f}x")
    print(
        f"agreement on {n_r} villages, {int(both.sum()):,} figures: "
        f"max relative difference {rel.max():.2e}"
    )


if __name__ == "__main__":
    main()
