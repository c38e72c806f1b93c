"""`fangkong recompute-codes`: the daily batch of health codes (R11, R12)."""

import datetime as dt

from django.core.management.base import BaseCommand

from fangkong.healthcode.actions import recompute_all


class Command(BaseCommand):
    help = "Recompute every person's health code from the stored facts (daily batch)."

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]
        parser.add_argument("--day", type=dt.date.fromisoformat, default=None)

    def handle(self, *args, **options):  # type: ignore[no-untyped-def]
        result = recompute_all(options["day"])
        self.stdout.write(
            f"persons with facts: {result['with_facts']}, colour changes: {result['changes']}, "
            f"new green codes: {result['new_green']}"
        )
