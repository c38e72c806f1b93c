"""Background work of screening, run by the Django tasks worker."""

import logging

from django.tasks import task

from fangkong.core.models import Job

log = logging.getLogger(__name__)


@task()
def import_list(job_id: int, list_id: int) -> dict:
    """Import one uploaded list, updating the job's progress bar as batches commit."""
    from fangkong.screening.actions import run_import
    from fangkong.screening.models import PushedList

    job = Job.objects.get(pk=job_id)
    pushed = PushedList.objects.select_related("source").get(pk=list_id)
    try:
        return run_import(pushed, job)
    except Exception:
        # run_import marked the list failed (with the kind of error, no row values) and
        # kept or deleted the file by the rules.
        log.error("screening import %s failed", list_id)
        raise
