"""Background tasks (Django's tasks API; `fangkong db_worker` runs them)."""

import datetime as dt

from django.tasks import task


@task
def run_scheduled(name: str, slot: str, caught_up: bool = False) -> str:
    from fangkong.notify import schedule

    return schedule.run_slot(name, dt.datetime.fromisoformat(slot), caught_up=caught_up)


@task
def deliver_batch(ids: list[int]) -> dict[str, int]:
    from fangkong.notify import actions

    return actions.deliver_batch(ids)


@task
def directive_issued(directive_id: int) -> int:
    from fangkong.notify import senders

    return senders.directive_issued(directive_id)
