"""Transmission chains and clusters, computed from the stored edges in the background."""

import datetime as dt
from typing import Any

from django.apps import apps
from django.db import transaction

from fangkong.core import clock
from fangkong.core.access import common_path
from fangkong.tracing import rules
from fangkong.tracing.models import Chain, IndexCase, TransmissionEdge


def _graph(cases: list[IndexCase], edges: list[TransmissionEdge], gen: dict[int, int]) -> dict:
    """Nodes and links for the ECharts graph: onset date, generation and setting."""
    return {
        "nodes": [
            {
                "id": str(c.pk),
                "name": c.label,
                "onset": c.onset_date.isoformat() if c.onset_date else "",
                "setting": c.setting,
                "generation": gen.get(c.pk, 1),
            }
            for c in cases
        ],
        "links": [
            {
                "source": str(e.source_id),
                "target": str(e.target_id),
                "date": e.exposure_date.isoformat(),
                "setting": e.setting,
            }
            for e in edges
        ],
    }


def cluster_min_cases(day: dt.date) -> int:
    """ONE cluster definition (R10): the clinical rule set's linked-case threshold in
    force on the day; without the clinical app, the national definition (2 cases)."""
    if apps.is_installed("fangkong.clinical"):
        from fangkong.clinical.actions.rulesets import rules_in_force as clinical_rules

        return int(clinical_rules(day).r10_cluster_threshold)
    return 2


def build_chains(job: Any = None) -> dict:
    """Replace the stored chains by the connected groups of the transmission edges."""
    from fangkong.tracing.actions import rules_in_force

    today = clock.today()
    r = rules_in_force(today)
    cases = {c.pk: c for c in IndexCase.objects.all()}
    edges = list(TransmissionEdge.objects.all())
    pairs = [(e.source_id, e.target_id) for e in edges]
    groups = rules.components(list(cases), pairs)
    if job is not None:
        job.advance(0, len(groups))
    active_from = today - dt.timedelta(days=r.active_days)
    thresholds: dict[dt.date, int] = {}

    def cluster_min(day: dt.date | None) -> int:  # R10 in force when the chain began
        day = day or today
        if day not in thresholds:
            thresholds[day] = cluster_min_cases(day)
        return thresholds[day]

    clusters = 0
    with transaction.atomic():
        Chain.objects.all().delete()
        for number, members in enumerate(groups, start=1):
            member_set = set(members)
            chain_edges = [e for e in edges if e.source_id in member_set]
            gen = rules.generations(members, [(e.source_id, e.target_id) for e in chain_edges])
            mcases = [cases[m] for m in members]
            onsets = [c.onset_date for c in mcases if c.onset_date]
            isolated = [c.isolated_on or c.specimen_date or c.onset_date for c in mcases]
            last = max((d for d in isolated if d), default=None)
            chain = Chain.objects.create(
                number=number,
                size=len(members),
                generations=max(gen.values(), default=1),
                first_onset=min(onsets, default=None),
                last_isolated=last,
                is_cluster=len(members) >= cluster_min(min(onsets, default=None)),
                active=last is not None and last >= active_from,
                graph=_graph(mcases, chain_edges, gen),
                computed_at=clock.now(),
                path=common_path([c.path for c in mcases]),
            )
            chain.members.set(members)
            clusters += chain.is_cluster
            if job is not None and number % 50 == 0:
                job.advance(number)
    result = {
        "chains": len(groups),
        "clusters": clusters,
    }
    if job is not None:
        job.finish(result)
    return result
