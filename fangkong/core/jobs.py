"""Long work with a progress bar: a Job row that a background task updates and a page
polls. Start one with `start_job(user, kind, node, task, *args)`; inside the task call
`job.advance(done, total)` as it goes and `job.finish(result)` or `job.fail(message)`."""

from typing import Any

from django.db import transaction

from fangkong.core.models import Job


def start_job(user: Any, kind: str, node: Any, task: Any, *args: Any, **kwargs: Any) -> Job:
    """Create the Job and enqueue `task(job_id, *args, **kwargs)` after the commit."""
    job = Job.objects.create(
        kind=kind,
        created_by=user if getattr(user, "is_authenticated", False) else None,
        path=node.path if node is not None else "",
    )
    transaction.on_commit(lambda: task.enqueue(job.pk, *args, **kwargs))
    return job
