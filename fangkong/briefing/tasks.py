"""Background computation of briefings, run by the Django tasks worker."""

import datetime as dt
import logging

from django.tasks import task

from fangkong.core.models import Job

log = logging.getLogger(__name__)


@task()
def compute_briefing(job_id: int, node_id: int, day: str) -> dict:
    from fangkong.briefing.compute import compute
    from fangkong.briefing.models import Briefing
    from fangkong.geo.models import Division

    job = Job.objects.get(pk=job_id)
    node = Division.objects.get(pk=node_id)
    job.advance(0, 1)
    try:
        b = compute(node, dt.date.fromisoformat(day), job)
    except Exception as exc:
        log.exception("briefing of %s on %s failed", node.code, day)
        Briefing.objects.filter(node=node, day=day).exclude(status="done").update(
            status="failed", message=str(exc)[:500]
        )
        job.fail(str(exc)[:500])
        raise
    job.finish({"briefing": b.pk}, message=f"{node.name} {day}")
    return {"briefing": b.pk}
