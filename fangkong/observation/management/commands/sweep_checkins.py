import datetime as dt
import time

from django.core.management.base import BaseCommand, CommandError

from fangkong.observation import actions


class Command(BaseCommand):
    help = (
        "The half-day missed-check-in sweep: a task for every active observation without a "
        "reading in the window that closed last (or --day/--window). Safe to run again."
    )

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]
        parser.add_argument("--day", type=dt.date.fromisoformat, help="YYYY-MM-DD")
        parser.add_argument("--window", choices=["morning", "evening"])

    def handle(self, *args, **opts):  # type: ignore[no-untyped-def]
        if (opts["day"] is None) != (opts["window"] is None):
            raise CommandError("give both --day and --window, or neither")
        day = opts["day"]
        if isinstance(day, str):
            day = dt.date.fromisoformat(day)
        started = time.perf_counter()
        created = actions.sweep_missed(day, opts["window"])
        self.stdout.write(
            f"missed check-ins: {created} tasks created in {time.perf_counter() - started:.2f} s"
        )
