"""Background tasks of the core: delivering a changed fact to the consumers that
declared they run as one background task (see `core.facts`)."""

from typing import Any

from django.tasks import task


@task()
def deliver_facts(
    fact: str, person_ids: list[int], detail: dict[str, Any], names: list[str]
) -> int:
    from fangkong.core import facts

    facts.deliver(fact, person_ids, detail, names)
    return len(names)
