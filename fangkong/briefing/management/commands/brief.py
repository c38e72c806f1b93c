"""`fangkong brief --date YYYY-MM-DD [--node CODE]`: compute and store the day's briefings
(run it from cron at the cut-off). Without --node: the city and every county."""

import datetime as dt

from django.core.management.base import BaseCommand, CommandError

from fangkong.briefing.compute import compute, cutoff_for
from fangkong.core import clock
from fangkong.geo.models import Division


class Command(BaseCommand):
    help = "Compute the daily briefings of a day (the city and counties, or one node)."

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]
        parser.add_argument("--date", help="YYYY-MM-DD (default: today)")
        parser.add_argument("--node", help="division code (default: the city and every county)")
        parser.add_argument(
            "--levels", default="city,county", help="levels when no --node is given"
        )

    def handle(self, *args, **opts):  # type: ignore[no-untyped-def]
        try:
            day = dt.date.fromisoformat(opts["date"]) if opts["date"] else clock.today()
        except ValueError:
            raise CommandError(f"--date: {opts['date']!r} is not a date like 2020-02-10") from None
        if clock.now() < cutoff_for(day):
            raise CommandError(
                f"--date: the cut-off of {day} ({cutoff_for(day):%H:%M}) has not passed yet"
            )
        if opts["node"]:
            nodes = list(Division.objects.filter(code=opts["node"]))
            if not nodes:
                raise CommandError(f"--node: no jurisdiction with code {opts['node']}")
        else:
            levels = [lv.strip() for lv in opts["levels"].split(",") if lv.strip()]
            nodes = list(Division.objects.filter(level__in=levels).order_by("path"))
        for node in nodes:
            b = compute(node, day)
            self.stdout.write(f"{node.code} {node.name} {day}: {b.compute_seconds:.2f} s")
