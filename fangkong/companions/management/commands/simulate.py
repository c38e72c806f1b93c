"""`fangkong simulate`: write a synthetic city's stays, scans and outbreak truth."""

import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from fangkong.analytics.companions.simulate import CityParams, simulate
from fangkong.companions import actions, rules


class Command(BaseCommand):
    help = "Generate a synthetic city (stays, venue scans, outbreak truth) as Parquet."

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]
        parser.add_argument("--persons", type=int, default=10_000)
        parser.add_argument("--days", type=int, default=14)
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--max-infections", type=int, default=50_000)
        parser.add_argument(
            "--out",
            default="",
            help="a data set name under the companions data root, or an absolute directory",
        )

    def handle(self, *args, **opts):  # type: ignore[no-untyped-def]
        if opts["persons"] < 10 or opts["days"] < 1:
            raise CommandError("--persons must be at least 10 and --days at least 1")
        name = opts["out"] or f"sim-{opts['persons']}-{opts['days']}d-s{opts['seed']}"
        if Path(name).is_absolute():
            out = Path(name)
        elif rules.valid_dataset_name(name):
            out = actions.data_root() / name
        else:
            raise CommandError("--out must be a plain name or an absolute path")
        if (out / "stays").exists() and any((out / "stays").iterdir()):
            raise CommandError(f"{out} already holds stays; choose another --out")
        params = CityParams(
            persons=opts["persons"],
            days=opts["days"],
            seed=opts["seed"],
            max_infections=opts["max_infections"],
        )
        started = time.perf_counter()
        summary = simulate(out, params)
        seconds = time.perf_counter() - started
        self.stdout.write(
            f"{out}: {summary['stays']} stays ({summary['scans']} venue scans), "
            f"{summary['infections']} infections, {summary['cases']} cases "
            f"in {seconds:.1f} s"
        )
