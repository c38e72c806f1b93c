"""Demo data for medical observation on the existing demo population: quarantine sites
with rooms and periods at home and at sites in every state, with a few days of
check-ins, missed windows, fever referrals and releases. Run after `fangkong demo`."""

import datetime as dt
import random
import time
import uuid
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from fangkong.accounts.models import User
from fangkong.core import clock
from fangkong.core.querysets import system_actor
from fangkong.geo.models import Division
from fangkong.observation import actions
from fangkong.observation.choices import PlaceKind
from fangkong.observation.models import ObservationPeriod, Placement, QuarantineSite, Room
from fangkong.people.models import Person

SITES = [
    ("越城区集中隔离点一号（宾馆）", "塔山街道 解放北路 88 号"),
    ("越城区集中隔离点二号", "府山街道 环城西路 12 号"),
]


class Command(BaseCommand):
    help = "Add quarantine sites and observations in every state to the demo (run after `fangkong demo`)."

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]
        parser.add_argument("--periods", type=int, default=240)
        parser.add_argument("--seed", type=int, default=2020)
        parser.add_argument("--force", action="store_true", help="add even if periods exist")

    def handle(self, *args, **opts):  # type: ignore[no-untyped-def]
        started = time.monotonic()
        names = [name for name, _address in SITES]
        if QuarantineSite.objects.filter(name__in=names).exists() and not opts["force"]:
            self.stdout.write(
                f"observation: demo sites present, {ObservationPeriod.objects.count()} periods; kept"
            )
            return
        county = Division.objects.filter(code="330602").first()
        if county is None or not Person.objects.exists():
            raise CommandError("run `fangkong demo` first: it loads the tree and the population")
        rng = random.Random(opts["seed"])
        system = system_actor()
        sites = self._sites(system, county)
        rooms = list(
            Room.objects.filter(site__in=sites)
            .exclude(  # free rooms only
                pk__in=Placement.objects.filter(ended_at__isnull=True, room__isnull=False).values(
                    "room_id"
                )
            )
            .order_by("pk")
        )
        worker = User.objects.filter(username="grid_worker").select_related("node").first()
        persons = self._persons(worker, county, opts["periods"], rng)
        made: dict[str, int] = {}
        today = clock.today()
        for i, person in enumerate(persons):
            state = [
                "active",
                "active",
                "active",
                "referred",
                "released",
                "transferred_out",
                "lost",
            ][i % 7]
            room = rooms.pop(0) if (i % 3 == 0 and rooms) else None
            try:
                self._one(system, person, state, room, today, rng)
            except Exception as exc:  # a person already observed, a full room: skip, report
                self.stderr.write(f"  skipped person {person.pk}: {exc}")
                continue
            made[state] = made.get(state, 0) + 1
        # Two persons observed at home whose town decided on a site: the site's day lists
        # them as 待入住 until its staff give them rooms.
        waiting = 0
        for period in (
            ObservationPeriod.objects.filter(person__in=persons, place_kind=PlaceKind.HOME)
            .open()
            .order_by("pk")[:2]
        ):
            actions.send_to_site(system, period, sites[waiting % len(sites)])
            waiting += 1
        for day in (today - dt.timedelta(days=1),):
            for window in ("morning", "evening"):
                actions.sweep_missed(day, window)
        swept = actions.sweep_missed()
        self.stdout.write(
            f"observation: {len(sites)} sites, {sum(made.values())} periods {made}, "
            f"{waiting} sent to a site awaiting a room, "
            f"{swept} tasks in the last window, in {time.monotonic() - started:.1f} s"
        )

    def _sites(self, system: Any, county: Division) -> list[QuarantineSite]:
        doctor = User.objects.filter(username="quarantine_site").first()
        towns = list(Division.objects.filter(parent=county).order_by("code")[:2])
        out = []
        for (name, address), town in zip(SITES, towns, strict=False):
            site = QuarantineSite.objects.filter(name=name).first() or actions.create_site(
                system, name=name, address=address, node=town, doctor=doctor
            )
            if not site.rooms.exists():
                actions.add_rooms(system, site, [str(n) for n in range(101, 131)], 1)
                actions.add_rooms(system, site, [str(n) for n in range(201, 211)], 2)
            out.append(site)
        return out

    def _persons(self, worker: Any, county: Division, n: int, rng: random.Random) -> list[Person]:
        busy = ObservationPeriod.objects.open().values("person_id")
        qs = Person.objects.filter(merged_into__isnull=True).exclude(pk__in=busy)
        want = min(n, max(14, n // 10))
        mine = list(qs.filter(node=worker.node)[:want]) if worker else []
        if worker and len(mine) < want:
            # The demo grid worker's grid may hold few persons: register a household there,
            # through the registry's own action, so the grid worker's phone pages have work.
            from fangkong.people.actions import register_person

            system = system_actor()
            surnames, given = "王李张刘陈杨黄赵周吴徐孙", "伟芳娜敏静强磊洋艳勇军杰"
            for i in range(want - len(mine)):
                person, _similar = register_person(
                    system,
                    {
                        "name": rng.choice(surnames) + rng.choice(given),
                        "node_code": worker.node.code,
                        "address": f"{worker.node.name} {i + 1} 号",
                        "tags": "demo-observation",
                    },
                    confirm_similar=True,
                )
                mine.append(person)
        rest = list(qs.under(county.path).exclude(pk__in=[p.pk for p in mine])[: n * 3])
        rng.shuffle(rest)
        return (mine + rest)[:n]

    @transaction.atomic
    def _one(
        self,
        system: Any,
        person: Person,
        state: str,
        room: Room | None,
        today: dt.date,
        rng: random.Random,
    ) -> None:
        if state == "released":
            age = 14
        elif state == "active":
            age = rng.randint(0, 13)
        else:
            age = rng.randint(2, 12)
        start = today - dt.timedelta(days=age)
        exposure = start - dt.timedelta(days=rng.randint(0, 2)) if state != "released" else start
        reason = rng.choice(
            ["close_contact", "key_area_arrival", "key_area_arrival", "post_discharge", "other"]
        )
        # placed in its room the day it began, at 07:30 or now if that is still to come
        began = min(timezone.make_aware(dt.datetime.combine(start, dt.time(7, 30))), clock.now())
        with clock.frozen(began):
            period = actions.start_period(
                system, person, reason=reason, last_exposure=exposure, start_date=start, room=room
            )
        ObservationPeriod.objects.filter(pk=period.pk).update(created_at=began)
        now = timezone.localtime(clock.now())
        skip_today = rng.random() < 0.3
        for back in range(min(age, 3), -1, -1):
            day = today - dt.timedelta(days=back)
            for hour, window in ((8, "morning"), (19, "evening")):
                when = timezone.make_aware(
                    dt.datetime.combine(day, dt.time(hour, rng.randint(0, 59)))
                )
                if when > now or (back == 0 and skip_today) or rng.random() < 0.05:
                    continue
                fever = state == "referred" and back == 0 and window == "morning"
                feverish = f"{rng.uniform(37.5, 39.4):.1f}"
                actions.check_in(
                    period,
                    client_id=uuid.uuid4(),
                    temperature=feverish if fever else f"{rng.uniform(36.0, 37.1):.1f}",
                    symptoms=["cough"] if fever else [],
                    reporter_kind="staff"
                    if room
                    else rng.choice(["self", "self", "grid_worker", "household_head"]),
                    taken_at=when,
                )
        if state == "referred" and not period.referrals.exists():
            actions.check_in(
                period,
                client_id=uuid.uuid4(),
                temperature=f"{rng.uniform(37.5, 39.4):.1f}",
                taken_at=now,
            )
        period.refresh_from_db()
        if state == "released":
            actions.release(system, period)
        elif state in ("transferred_out", "lost"):
            actions.end_period(system, period, state, "demo")
