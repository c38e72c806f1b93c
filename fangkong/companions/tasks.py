"""Background work of companion detection, run by the Django tasks worker."""

import logging

from django.tasks import task

from fangkong.core.models import Job

log = logging.getLogger(__name__)


@task()
def run_companions(job_id: int) -> dict:
    """Run the detection of one CompanionRun, advancing its job's progress per batch."""
    from fangkong.companions.actions import execute_run
    from fangkong.companions.models import CompanionRun

    job = Job.objects.get(pk=job_id)
    run = CompanionRun.objects.select_related("job", "rules").get(job=job)
    try:
        return execute_run(run)
    except Exception as exc:
        log.exception("companion run %s failed", run.pk)
        job.fail(str(exc)[:500])
        raise
