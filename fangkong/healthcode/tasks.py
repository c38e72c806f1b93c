"""The daily recomputation of every code, as a background job with progress."""

from django.tasks import task

from fangkong.core.models import Job


@task()
def recompute_codes(job_id: int) -> dict:
    from fangkong.healthcode.actions import recompute_all

    job = Job.objects.get(pk=job_id)
    try:
        return recompute_all(job=job)
    except Exception as exc:
        job.fail(str(exc)[:500])
        raise


def start_recompute_job(user: object):  # type: ignore[no-untyped-def]
    from fangkong.core.jobs import start_job
    from fangkong.geo.models import Division

    root = Division.objects.root()
    return start_job(user, "healthcode.recompute", root, recompute_codes)
