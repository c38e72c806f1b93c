"""`fangkong companions`: companion detection from the command line, on DuckDB or Spark."""

import json
import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from fangkong.analytics.companions import engines, job, store
from fangkong.companions import actions, rules
from fangkong.companions.models import CompanionRules
from fangkong.core import clock


class Command(BaseCommand):
    help = "Find the space-time companions of cases in a stay data set."

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]
        parser.add_argument("--cases", required=True, help="case ids of the data set: 12,34,…")
        parser.add_argument("--engine", choices=["duckdb", "spark"], default="duckdb")
        parser.add_argument("--data", required=True, help="data set name or directory")
        parser.add_argument("--master", default="", help="Spark master URL (default local[2])")
        parser.add_argument(
            "--windows",
            default="",
            help="local folder holding cases.parquet (person, onset, isolated); default: --data",
        )
        parser.add_argument("--top", type=int, default=10, help="candidates shown per case")
        parser.add_argument("--json", action="store_true", help="print every result as JSON")

    def handle(self, *args, **opts):  # type: ignore[no-untyped-def]
        try:
            refs = rules.parse_case_refs(opts["cases"])
        except ValueError as exc:
            raise CommandError(f"not a case id: {exc}") from exc
        root, windows_dir = _where(opts)
        ruleset = CompanionRules.in_force()
        params = job.Params(theta=ruleset.theta_minutes * 60, bucket=ruleset.bucket_minutes * 60)
        cases, no_window = _cases(refs, windows_dir, ruleset)
        for ref in no_window:
            self.stderr.write(f"case {ref}: no tracing window (onset unknown); not traced")
        kwargs: dict = {"params": params, "risk": ruleset.risk()}
        if opts["engine"] == "spark":
            kwargs["session"] = engines.spark_session(opts["master"] or None)
        started = time.perf_counter()
        rows = engines.run(opts["engine"], root, cases, **kwargs)
        seconds = time.perf_counter() - started
        if opts["json"]:
            self.stdout.write(json.dumps([dict(zip(job.COLUMNS, r, strict=True)) for r in rows]))
            return
        for case in cases:
            mine = [r for r in rows if r[0] == case.case_id]
            self.stdout.write(f"case {case.case_id}: {len(mine)} companions")
            for r in mine[: opts["top"]]:
                self.stdout.write(
                    f"  #{r[9]:<4} person {r[1]:<10} {r[2] // 60:>5} min shared, "
                    f"exposure {r[5] / 60_000:.2f}"
                )
        self.stdout.write(
            f"{len(rows)} companions of {len(cases)} cases ({len(no_window)} without a window) "
            f"on {opts['engine']} in {seconds:.2f} s"
        )


def _where(opts: dict) -> tuple[str | Path, Path | None]:
    """The stays' root (a local folder or a store URL) and the folder of case windows."""
    if "://" in opts["data"]:
        # A shared store (hdfs://, s3a://, …): Spark reads it; windows come from --windows.
        if opts["engine"] != "spark":
            raise CommandError("a store URL needs --engine spark")
        return opts["data"], Path(opts["windows"]) if opts["windows"] else None
    root = Path(opts["data"])
    if not root.is_absolute() and not root.exists():
        root = actions.data_root() / opts["data"]
    if not (root / "stays").is_dir():
        raise CommandError(f"{root} holds no stays")
    return root, Path(opts["windows"]) if opts["windows"] else root


def _cases(refs: list, windows_dir: Path | None, ruleset: CompanionRules) -> tuple[list, list]:
    """The cases to trace, each with its tracing window, and the ones without a window."""
    known = store.read_cases(windows_dir, refs) if windows_dir else {}
    now = int(clock.now().timestamp())
    cases, no_window = [], []
    for ref in refs:
        window = rules.tracing_window(*known.get(ref, (None, None)), ruleset.days_before_onset, now)
        if window is None:
            no_window.append(ref)
        else:
            cases.append(job.Case(ref, ref, *window))
    return cases, no_window
