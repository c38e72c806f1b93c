"""`fangkong scheduler`: run the platform's schedule (APScheduler) — each job's slots
enqueue a task for `fangkong db_worker`; missed slots are caught up once on start."""

from typing import Any

from apscheduler.schedulers.blocking import BlockingScheduler
from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from fangkong.core import clock
from fangkong.notify import schedule


class Command(BaseCommand):
    help = "Run the schedule: jobs at their slots; a slot missed while down runs once."

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]
        parser.add_argument(
            "--check", action="store_true", help="check the schedule, list the jobs and exit"
        )
        parser.add_argument(
            "--no-catch-up", action="store_true", help="do not run slots missed while down"
        )

    def handle(self, *args: Any, **opts: Any) -> None:
        try:
            active = schedule.check_schedule()
        except ImproperlyConfigured as exc:
            raise CommandError(str(exc)) from None
        now = clock.now()
        for j in active:
            nxt = j.next_after(now)
            when = timezone.localtime(nxt).strftime("%Y-%m-%d %H:%M") if nxt else "-"
            self.stdout.write(f"{j.name:18} next {when}  {j.doc.splitlines()[0] if j.doc else ''}")
        if opts["check"]:
            return
        if not opts["no_catch_up"]:
            caught = schedule.catch_up()
            if caught:
                self.stdout.write(f"caught up: {', '.join(caught)}")
        scheduler = BlockingScheduler(timezone=timezone.get_default_timezone())
        schedule.build_scheduler(scheduler)
        self.stdout.write("scheduler running (Ctrl-C to stop)")
        try:
            scheduler.start()
        except (KeyboardInterrupt, SystemExit):
            scheduler.shutdown(wait=False)
