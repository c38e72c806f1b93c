"""Background work of contact tracing, run by the Django tasks worker."""

from django.tasks import task

from fangkong.core.models import Job


@task()
def compute_chains(job_id: int) -> dict:
    from fangkong.tracing.chains import build_chains

    job = Job.objects.get(pk=job_id)
    try:
        return build_chains(job)
    except Exception as exc:
        job.fail(str(exc)[:500])
        raise


def start_chain_job(user: object) -> Job:
    """Queue a recomputation of chains and clusters; the page polls its progress."""
    from fangkong.core.jobs import start_job
    from fangkong.geo.models import Division

    root = Division.objects.root()
    return start_job(user, "tracing.chains", root, compute_chains)
