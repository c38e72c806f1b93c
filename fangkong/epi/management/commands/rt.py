"""`fangkong rt`: Rt by Cori et al. (as EpiEstim's estimate_R) from a daily incidence CSV."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

import numpy as np
from django.core.management.base import BaseCommand, CommandError, CommandParser

from fangkong.analytics.inputs import AnalyticsInputError
from fangkong.analytics.rt import CSV_COLUMNS, estimate_rt
from fangkong.analytics.serial import DEFAULT_SERIAL_INTERVAL
from fangkong.epi.incidence import read_incidence, read_si_distr


class Command(BaseCommand):
    help = (
        "Estimate the reproduction number Rt on sliding windows (Cori et al. 2013, as "
        "EpiEstim::estimate_R) from a CSV with columns 'local' and optionally 'imported', "
        "one row per day. Writes t_start,t_end,mean,std,q025,q05,q25,median,q75,q95,q975 "
        "for every window that ends after the mean serial interval."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--incidence", required=True, type=Path, help="daily incidence CSV")
        parser.add_argument("--si-mean", type=float, help="serial interval mean (days, > 1)")
        parser.add_argument("--si-sd", type=float, help="serial interval sd (days, > 0)")
        parser.add_argument(
            "--si-distr", type=Path, help="file with a discrete serial interval w_0=0, w_1, ..."
        )
        parser.add_argument("--window", type=int, default=7, help="window length in days")
        parser.add_argument("--out", type=Path, help="output CSV (default: standard output)")

    def handle(self, *args: Any, **options: Any) -> None:
        si_mean, si_sd, si_file = options["si_mean"], options["si_sd"], options["si_distr"]
        if si_file is not None and (si_mean is not None or si_sd is not None):
            raise CommandError("give either --si-distr or --si-mean with --si-sd, not both")
        if (si_mean is None) != (si_sd is None):
            raise CommandError("--si-mean and --si-sd go together")
        try:
            local, imported = read_incidence(options["incidence"])
            if si_file is not None:
                si: dict[str, Any] = {"si_distr": read_si_distr(si_file)}
                used = f"non-parametric, from {si_file.name}"
            elif si_mean is not None:
                si = {"si_mean": si_mean, "si_sd": si_sd}
                used = f"{si_mean:g} ± {si_sd:g} d (given)"
            else:
                si = {"si_mean": DEFAULT_SERIAL_INTERVAL.mean, "si_sd": DEFAULT_SERIAL_INTERVAL.sd}
                used = DEFAULT_SERIAL_INTERVAL.label() + " (default)"
            estimate = estimate_rt(local, imported, window=options["window"], **si)
        except AnalyticsInputError as exc:
            raise CommandError(str(exc)) from exc

        rows = list(estimate.rows(0))
        out_path: Path | None = options["out"]
        handle = out_path.open("w", newline="", encoding="utf-8") if out_path else None
        try:
            writer = csv.DictWriter(
                handle or self.stdout, fieldnames=list(CSV_COLUMNS), lineterminator="\n"
            )
            writer.writeheader()
            for row in rows:
                writer.writerow({k: repr(v) for k, v in row.items()})
        finally:
            if handle:
                handle.close()
        uncertain = int(np.count_nonzero(estimate.uncertain[0]))
        self.stderr.write(
            f"serial interval: {used}; mean {estimate.si_mean:.2f} d. "
            f"{len(rows)} windows reported, {estimate.reported.size - len(rows)} ending before "
            f"the mean serial interval omitted, {uncertain} with fewer than "
            f"{estimate.min_cases} local cases (uncertain)."
        )
