"""R's EpiEstim as the reference implementation: installed from Debian by the suite itself."""

from __future__ import annotations

import csv
import fcntl
import os
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pytest

ROOT = Path(__file__).resolve().parents[2]
REFERENCE_SCRIPT = Path(__file__).with_name("epiestim_reference.R")
RSCRIPT = "/usr/bin/Rscript"
R_ENV = {**os.environ, "TZ": "UTC", "LC_ALL": "C"}


def _epiestim_loads() -> bool:
    if not Path(RSCRIPT).exists():
        return False
    probe = subprocess.run(
        [RSCRIPT, "-e", "suppressPackageStartupMessages(library(EpiEstim)); cat('ok')"],
        capture_output=True,
        text=True,
        env=R_ENV,
    )
    return probe.returncode == 0 and probe.stdout.endswith("ok")


@pytest.fixture(scope="session")
def rscript() -> str:
    """Rscript with EpiEstim, installed from Debian (r-cran-epiestim) when missing."""
    lock = Path(tempfile.gettempdir()) / "fangkong-r-install.lock"
    with lock.open("w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)  # pytest-xdist workers must not run apt at once
        subprocess.run(
            [
                ROOT / "scripts" / "apt-install-if-missing",
                RSCRIPT,
                "r-base-core",
                "r-cran-epiestim",
            ],
            check=True,
        )
        if not _epiestim_loads():
            subprocess.run([ROOT / "scripts" / "apt-install", "r-cran-epiestim"], check=True)
    assert _epiestim_loads(), "R's EpiEstim package does not load"
    return RSCRIPT


@dataclass
class Case:
    """One comparison: EpiEstim example data (`dataset`) or a series given here."""

    id: str
    method: str  # "parametric_si" or "non_parametric_si"
    dataset: str = ""
    mean_si: float | None = None
    std_si: float | None = None
    window: int = 7
    wt: bool = False
    local: np.ndarray | None = None
    imported: np.ndarray | None = None
    si_distr: np.ndarray | None = None


@dataclass
class Reference:
    """EpiEstim's output for a case, with the inputs as EpiEstim read them."""

    local: np.ndarray
    imported: np.ndarray
    si_distr: np.ndarray | None
    mean_si: float | None
    std_si: float | None
    table: np.ndarray  # t_start, t_end, mean, std, 7 quantiles (NaN where EpiEstim has NA)
    si_moments: tuple[float, float]
    wt: np.ndarray | None = None  # t_start, t_end, mean
    files: dict[str, Path] = field(default_factory=dict)


def _read_table(path: Path) -> np.ndarray:
    with path.open() as fh:
        rows = list(csv.reader(fh))[1:]
    return np.array([[np.nan if v == "NA" else float(v) for v in row] for row in rows])


def run_epiestim(rscript: str, cases: list[Case], workdir: Path) -> dict[str, Reference]:
    """Run every case through EpiEstim in one R process."""
    workdir.mkdir(parents=True, exist_ok=True)
    with (workdir / "manifest.csv").open("w", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["id", "dataset", "method", "mean_si", "std_si", "window", "wt"])
        for case in cases:
            na = lambda v: "NA" if v is None else repr(float(v))  # noqa: E731
            writer.writerow(
                [case.id, case.dataset, case.method, na(case.mean_si), na(case.std_si)]
                + [case.window, int(case.wt)]
            )
            if not case.dataset:
                imported = case.imported if case.imported is not None else 0 * case.local
                with (workdir / f"{case.id}_incid.csv").open("w", newline="") as inc:
                    w = csv.writer(inc)
                    w.writerow(["local", "imported"])
                    w.writerows(zip(case.local.astype(int), imported.astype(int), strict=True))
                if case.si_distr is not None:
                    (workdir / f"{case.id}_si.csv").write_text(
                        "\n".join(repr(float(v)) for v in case.si_distr) + "\n"
                    )
    done = subprocess.run(
        [rscript, str(REFERENCE_SCRIPT), str(workdir)], capture_output=True, text=True, env=R_ENV
    )
    assert done.returncode == 0, done.stderr
    out: dict[str, Reference] = {}
    for case in cases:
        incid = np.genfromtxt(workdir / f"{case.id}_incid.csv", delimiter=",", names=True)
        si_file = workdir / f"{case.id}_si.csv"
        moments = np.loadtxt(workdir / f"{case.id}_moments.csv")
        params = np.genfromtxt(workdir / f"{case.id}_params.csv", missing_values="NA")
        mean_si = None if np.isnan(params[0]) else float(params[0])
        std_si = None if np.isnan(params[1]) else float(params[1])
        out[case.id] = Reference(
            local=np.atleast_1d(incid["local"]),
            imported=np.atleast_1d(incid["imported"]),
            si_distr=np.loadtxt(si_file) if case.method == "non_parametric_si" else None,
            mean_si=mean_si,
            std_si=std_si,
            table=_read_table(workdir / f"{case.id}_R.csv"),
            si_moments=(float(moments[0]), float(moments[1])),
            wt=_read_table(workdir / f"{case.id}_WT.csv") if case.wt else None,
            files={"incidence": workdir / f"{case.id}_incid.csv", "si": si_file},
        )
    return out
