"""Chains on a generated outbreak (against a naive search), the background job, and the
demo step (idempotent, all three colours)."""

import datetime as dt
import random

from fangkong.tracing import actions
from fangkong.tracing.chains import build_chains
from fangkong.tracing.models import Chain, IndexCase

D = dt.date


def naive_groups(n, edges):
    adj = {i: set() for i in range(n)}
    for a, b in edges:
        adj[a].add(b)
        adj[b].add(a)
    seen, groups = set(), []
    for start in range(n):
        if start in seen:
            continue
        stack, group = [start], set()
        while stack:
            x = stack.pop()
            if x not in group:
                group.add(x)
                stack.extend(adj[x] - group)
        seen |= group
        groups.append(group)
    return groups


def test_chains_of_a_generated_outbreak(db, cdc, make_person, frozen_on):
    frozen_on(D(2020, 3, 30))
    rng = random.Random(7)
    n = 40
    cases = []
    for i in range(n):
        onset = D(2020, 2, 1) + dt.timedelta(days=i // 2)
        cases.append(
            actions.open_index_case(
                cdc,
                make_person(f"例{i}"),
                {"onset_date": onset, "isolated_on": onset + dt.timedelta(days=1)},
            )
        )
    edges = []
    for i in range(1, n):  # each case infected by an earlier one, or imported (a new chain)
        if rng.random() < 0.75:
            j = rng.randrange(max(0, i - 6), i)
            if cases[j].onset_date < cases[i].onset_date:
                edges.append((j, i))
                actions.record_transmission(
                    cdc,
                    cases[j],
                    cases[i],
                    exposure_date=cases[j].onset_date,
                    setting=rng.choice(["household", "workplace", "social"]),
                )
    result = build_chains()
    expected = naive_groups(n, edges)
    assert result["chains"] == len(expected)
    stored = {frozenset(c.members.values_list("pk", flat=True)) for c in Chain.objects.all()}
    assert stored == {frozenset(cases[i].pk for i in g) for g in expected}
    # One cluster definition (R10 of the clinical rules in force, 2 linked cases in 2020)
    assert result["clusters"] == sum(1 for g in expected if len(g) >= 2)
    biggest = Chain.objects.order_by("-size").first()
    assert len(biggest.graph["nodes"]) == biggest.size
    assert all(node["onset"] for node in biggest.graph["nodes"])
    assert biggest.generations >= 2
    # isolated by 2020-02-21, more than 14 days before "today": nothing is active
    assert not Chain.objects.filter(active=True).exists()


def test_chain_job_runs_in_the_background(
    db, cdc, index_case, frozen_on, django_capture_on_commit_callbacks
):
    from fangkong.core.models import Job
    from fangkong.tracing.tasks import start_chain_job

    frozen_on(D(2020, 3, 5))
    a, b = index_case(), index_case(name="乙", onset=D(2020, 3, 3), isolated=D(2020, 3, 4))
    actions.record_transmission(cdc, a, b, exposure_date=D(2020, 3, 1), setting="household")
    with django_capture_on_commit_callbacks(execute=True):
        job = start_chain_job(cdc)
    job = Job.objects.get(pk=job.pk)
    assert job.status == "done" and job.result == {"chains": 1, "clusters": 1}
    assert Chain.objects.get().active


def test_demo_step_is_idempotent_with_three_colours(db, make_person):
    from fangkong.healthcode.models import HealthCode
    from fangkong.tracing.demo import run
    from tests.conftest import GRID_A, GRID_B

    for i in range(110):
        make_person(f"居民{i}", node_code=GRID_A if i % 2 else GRID_B)
    first = run(3)
    assert "traced contacts" in first
    colours = set(HealthCode.objects.values_list("colour", flat=True))
    assert colours == {"red", "yellow", "green"}
    assert Chain.objects.filter(is_cluster=True).exists()
    assert IndexCase.objects.count() == 6
    assert run(3) == first


def test_demo_venues_are_the_demo_grid_workers_to_keep(db, make_person, make_user, client):
    """The demo's gate keeper (its grid worker) finds the estate gate among their venues
    and opens its gate page; the venues are nowhere else."""
    from fangkong.tracing.demo import run
    from fangkong.tracing.models import Venue
    from tests.conftest import GRID_A, GRID_B

    for i in range(110):
        make_person(f"居民{i}", node_code=GRID_A if i % 2 else GRID_B)
    worker = make_user("grid_worker", GRID_B, username="grid_worker")
    run(3)
    venues = Venue.objects.filter(name__startswith="示范")
    assert venues.count() == 5 and {v.node_id for v in venues} == {worker.node_id}
    gate = venues.get(kind="gate")
    client.force_login(worker)
    listing = client.get("/tracing/venues/").content.decode()
    assert gate.name in listing
    assert client.get(f"/tracing/venues/{gate.pk}/gate/").status_code == 200
