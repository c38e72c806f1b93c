"""`fangkong exchange-deliver`: post the waiting requests and answers to every partner
with an endpoint (run from cron; messages not delivered stay waiting for the next run)."""

from django.core.management.base import BaseCommand

from fangkong.exchange import actions


class Command(BaseCommand):
    help = "Deliver waiting hand-over messages to partner cities over HTTP(S)."

    def handle(self, *args: object, **options: object) -> None:
        counts = actions.deliver()
        self.stdout.write(
            f"delivered {counts['delivered']}, refused {counts['refused']}, "
            f"not reached {counts['failed']}"
        )
