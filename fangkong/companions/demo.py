"""The demo's companion data: a small synthetic city and one finished run for three of
its cases, so the page has something to show after `fangkong demo`."""

from fangkong.analytics.companions import simulate
from fangkong.companions import actions
from fangkong.companions.models import CompanionRun
from fangkong.core.models import Job

DATASET = "demo-city"


def demo_step(seed: int) -> str:
    from fangkong.geo.models import Division

    root = actions.data_root() / DATASET
    if not (root / "stays").is_dir():
        simulate.simulate(root, simulate.CityParams(persons=10_000, days=14, seed=seed))
    existing = CompanionRun.objects.filter(dataset=DATASET).first()
    if existing is not None:
        return f"companions: data set {DATASET}, run #{existing.pk} already there"
    city = Division.objects.filter(code="3306").first()
    if city is None:
        return "companions: no city division, skipped"
    cases = sorted({t["infector"] for t in simulate.read_truth(root)})[:3]
    job = Job.objects.create(kind="companions", path=city.path)
    run = actions.record_run(None, job, city, DATASET, "duckdb", cases)
    report = actions.execute_run(run)
    return f"companions: data set {DATASET}, run #{run.pk}: {report['candidates']} candidates"
