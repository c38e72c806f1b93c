"""The demo step: a small outbreak in Yuecheng traced end to end — index cases with
close and general contacts (observation started), transmissions forming chains and a
cluster, venues and a residential gate with scans, and persons of all three colours.
Idempotent: a second run finds the demo venues and adds nothing."""

import datetime as dt
import random
import uuid

from django.db import transaction

from fangkong.accounts.demo import node_of
from fangkong.core import clock
from fangkong.core.querysets import system_actor
from fangkong.tracing import actions, venues
from fangkong.tracing.chains import build_chains
from fangkong.tracing.models import Chain, Contact, Scan, Venue

MARK = "示范"
VENUES = [  # (name, kind, address): the demo grid worker's grid in 塔山街道花园社区
    ("示范·花园农贸市场", "market", "塔山街道花园社区环山路18号"),
    ("示范·塔山便利店", "shop", "塔山街道花园社区环山路22号"),
    ("示范·塔山街道便民服务中心", "office", "塔山街道花园社区环山路6号"),
    ("示范·1路公交 浙D-12345", "bus", "1路 火车站—大禹陵"),
    ("示范·花园小区东门", "gate", "塔山街道花园小区东门"),
]
# (source, target) between the index cases made below: a chain of 5 (a cluster by R10 in
# force today, 5 linked cases from 2020-09-01) and a single case.
EDGES = [(0, 1), (1, 2), (0, 3), (3, 4)]
SETTINGS = ["household", "workplace", "social", "household", "transport", "school"]


def _summary() -> str:
    return (
        f"{Contact.objects.count()} traced contacts, "
        f"{Chain.objects.filter(size__gte=2).count()} chains "
        f"({Chain.objects.filter(is_cluster=True).count()} cluster), "
        f"{Venue.objects.filter(name__startswith=MARK).count()} venues with "
        f"{Scan.objects.count()} scans, codes: {_colours()}"
    )


def _colours() -> str:
    from django.db.models import Count

    from fangkong.healthcode.models import HealthCode

    counts = dict(HealthCode.objects.values_list("colour").annotate(n=Count("pk")).order_by())
    return ", ".join(f"{k} {counts.get(k, 0)}" for k in ("red", "yellow", "green"))


def run(seed: int) -> str:
    from fangkong.healthcode import actions as codes
    from fangkong.people.models import Person

    if Venue.objects.filter(name__startswith=MARK).exists():
        return _summary()
    candidates = (
        Person.objects.under("3306/330602/")
        .filter(merged_into__isnull=True)
        .exclude(observation_periods__status__in=["active", "referred"])
    )
    offset = max(0, min(200, candidates.count() - 100))  # clear of the clinical demo's patients
    people = list(candidates.order_by("pk")[offset : offset + 100])
    if len(people) < 60:
        return "tracing: not enough persons in Yuecheng for the demo outbreak"
    rng = random.Random(seed)
    rng.shuffle(people)
    system = system_actor()
    today = clock.today()
    pool = iter(people)
    with transaction.atomic():
        cases = []
        for i in range(6):
            onset = today - dt.timedelta(days=12 - 2 * i)
            cases.append(
                actions.open_index_case(
                    system,
                    next(pool),
                    {
                        "onset_date": onset,
                        "isolated_on": onset + dt.timedelta(days=2),
                        "setting": SETTINGS[i],
                        "label": f"病例{i + 1}",
                    },
                )
            )
        for i, index in enumerate(cases):
            assert index.onset_date is not None
            for k in range(5):
                first = index.onset_date - dt.timedelta(days=rng.randint(1, 3))
                close = k < 3
                person = next(pool)
                contact = actions.add_contact(
                    system,
                    index,
                    {
                        "person": person,
                        "setting": SETTINGS[(i + k) % len(SETTINGS)],
                        "transport_kind": "train" if SETTINGS[(i + k) % 6] == "transport" else "",
                        "transport_no": "G7512" if SETTINGS[(i + k) % 6] == "transport" else "",
                        "seat": f"0{k + 1}A" if SETTINGS[(i + k) % 6] == "transport" else "",
                        "first_exposure": first,
                        "last_exposure": first + dt.timedelta(days=1),
                        "proximity_m": "0.8" if close else "3",
                    },
                )
                if close:
                    actions.confirm_contact(system, contact)
        for a, b in EDGES:
            target = cases[b]
            assert target.onset_date is not None
            actions.record_transmission(
                system,
                cases[a],
                target,
                exposure_date=target.onset_date - dt.timedelta(days=4),
                setting=SETTINGS[b],
            )
        # The demo grid worker's grid: the venues (the estate gate among them) are theirs
        # to keep, so the demo's gate keeper opens the gate page from their venue list.
        node = node_of("grid_worker") or cases[0].person.node
        made = [
            venues.create_venue(system, {"name": n, "kind": k, "node": node, "address": a})
            for n, k, a in VENUES
        ]
        now = clock.now()
        for n in range(80):
            venue = made[n % len(made)]
            person = people[rng.randrange(len(people))]
            venues.record_scan(
                venue,
                client_id=uuid.uuid5(uuid.NAMESPACE_URL, f"fangkong-demo-scan-{seed}-{n}"),
                person_id=person.pk,
                scanned_at=now - dt.timedelta(minutes=17 * n),
                direction=("entry", "exit")[n % 2] if venue.is_gate else "visit",
                temperature="36.5" if venue.is_gate else None,
            )
        yellow = [next(pool) for _ in range(3)]
        arrivals = (
            (yellow[0], "湖北省黄冈市", "medium", 2),
            (yellow[1], "温州市", "medium", 1),
            (next(pool), "武汉市", "high", 3),
        )
        for person, origin, risk, days_ago in arrivals:
            codes.record_arrival(
                system,
                person,
                origin=origin,
                risk_level=risk,
                arrived_on=today - dt.timedelta(days=days_ago),
            )
        codes.daily_checkin(
            yellow[2], client_id=uuid.uuid4(), temperature="37.8", symptoms=["cough"]
        )
    build_chains()
    codes.recompute_all()
    return _summary()
