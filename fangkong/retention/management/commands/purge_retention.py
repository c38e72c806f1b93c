import datetime as dt

from django.core.management.base import BaseCommand, CommandError

from fangkong.retention.purge import run_purge


class Command(BaseCommand):
    help = (
        "Apply the retention rules in force (docs/operations.md): delete old scans and "
        "location days, erase personal fields of closed observation and screening records; "
        "the counts go to the audit log."
    )

    def add_arguments(self, parser) -> None:  # type: ignore[no-untyped-def]
        parser.add_argument("--day", help="the day to purge as of (YYYY-MM-DD); default today")

    def handle(self, *args, **options) -> None:  # type: ignore[no-untyped-def]
        day = None
        if options.get("day"):
            try:
                day = dt.date.fromisoformat(options["day"])
            except ValueError:
                raise CommandError("--day: not a date (YYYY-MM-DD)") from None
        counts = run_purge(day)
        for key, value in counts.items():
            self.stdout.write(f"{key}: {value}")
