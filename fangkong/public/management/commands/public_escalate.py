"""Escalate overdue public questions one level up (run from cron, e.g. every 15 min)."""

from typing import Any

from django.core.management.base import BaseCommand

from fangkong.public import actions


class Command(BaseCommand):
    help = "Escalate every overdue unanswered public question to the level above."

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(f"{actions.escalate_overdue()} questions escalated")
