import os
import random
import secrets
import time
from pathlib import Path

from django.core.management.base import BaseCommand
from django.db import transaction

from fangkong.accounts.models import User
from fangkong.accounts.roles import Role
from fangkong.core import clock, demo_steps
from fangkong.geo.choices import Level
from fangkong.geo.loaders import import_grids, load_divisions, read_csv
from fangkong.geo.models import Division
from fangkong.people.bulk import bulk_register
from fangkong.people.models import Household, Person
from fangkong.people.synthetic import Village, population

DIVISIONS = Path(__file__).resolve().parents[3] / "geo" / "data" / "divisions-shaoxing.csv"

# (username, role, how to pick the node)
DEMO_ACCOUNTS = [
    ("sysadmin", Role.SYSADMIN, "city"),
    ("city_hq", Role.CITY_HQ, "city"),
    ("cdc", Role.CDC, "city"),
    ("supplies", Role.SUPPLIES, "city"),
    ("organisation", Role.ORGANISATION, "city"),
    ("discipline", Role.DISCIPLINE, "city"),
    ("county_hq", Role.COUNTY_HQ, "county"),
    ("medical", Role.MEDICAL, "county"),
    ("quarantine_site", Role.QUARANTINE_SITE, "county"),
    ("town_hq", Role.TOWN_HQ, "town"),
    ("village_staff", Role.VILLAGE_STAFF, "village"),
    ("grid_worker", Role.GRID_WORKER, "grid"),
    ("grid_worker2", Role.GRID_WORKER, "grid2"),
]


class Command(BaseCommand):
    help = "Build the demo: Shaoxing's tree, 3–8 grids per village, a synthetic population and demo accounts."

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]
        parser.add_argument("--persons", type=int, default=50_000)
        parser.add_argument("--seed", type=int, default=2020)
        parser.add_argument("--force", action="store_true", help="add persons even if some exist")
        parser.add_argument(
            "--core-only", action="store_true", help="tree, accounts and persons; no app demo steps"
        )

    def handle(self, *args, **opts):  # type: ignore[no-untyped-def]
        started = time.monotonic()
        if not Division.objects.filter(code="3306").exists():
            self.stdout.write(f"jurisdictions: {load_divisions(read_csv(DIVISIONS))}")
        rng = random.Random(opts["seed"])
        if not Division.objects.filter(level=Level.GRID).exists():
            rows = []
            for v in Division.objects.filter(level=Level.VILLAGE).order_by("code"):
                for g in range(1, rng.randint(3, 8) + 1):
                    rows.append(
                        {
                            "village_code": v.code,
                            "grid_code": str(g),
                            "name": f"第{g}网格",
                            "households": str(rng.randint(80, 400)),
                        }
                    )
            self.stdout.write(f"grids: {import_grids(rows)}")
        self._accounts()
        if Person.objects.exists() and not opts["force"]:
            self.stdout.write(f"persons: {Person.objects.count()} already present; kept")
        else:
            self._population(opts["persons"], opts["seed"])
        for name, step in [] if opts["core_only"] else demo_steps.steps():
            self.stdout.write(f"{name}: {step(opts['seed'])}")
        self.stdout.write(f"demo ready in {time.monotonic() - started:.1f} s")

    def _villages(self) -> list[Village]:
        names = dict(
            Division.objects.filter(level__in=[Level.COUNTY, Level.TOWN]).values_list(
                "code", "name"
            )
        )
        grids: dict[int, list[int]] = {}
        for gid, parent in Division.objects.filter(level=Level.GRID).values_list("id", "parent_id"):
            grids.setdefault(parent, []).append(gid)
        return [
            Village(
                v.id,
                v.code,
                v.name,
                names.get(v.code[:9], ""),
                v.code[:6],
                names.get(v.code[:6], ""),
                grids.get(v.id, []),
            )
            for v in Division.objects.filter(level=Level.VILLAGE).order_by("code")
        ]

    @transaction.atomic
    def _population(self, n: int, seed: int) -> None:
        started = time.monotonic()
        rows = list(population(self._villages(), n, seed, clock.today()))
        households: dict[str, tuple[str, int]] = {}
        for r in rows:
            households.setdefault(r["household_number"], (r["address"], r["node_id"]))
        paths = dict(
            Division.objects.filter(level__in=[Level.GRID, Level.VILLAGE]).values_list("id", "path")
        )
        Household.objects.bulk_create(
            [
                Household(number=k, address=a, node_id=nid, path=paths[nid])
                for k, (a, nid) in households.items()
            ],
            batch_size=5000,
        )
        ids = dict(
            Household.objects.filter(number__in=list(households)).values_list("number", "id")
        )
        for r in rows:
            r["household_id"] = ids[r.pop("household_number")]
        # A few people appear twice, as they do across pushed lists: same name and phone,
        # no ID on the second record — for the merge page to have real work.
        twins = [dict(r, id_number="", tags="待核重") for r in rows[7::997] if r["phone"]][:25]
        report = bulk_register(rows + twins, paths)
        self.stdout.write(
            f"persons: {report.accepted} registered, {len(report.rejected)} rejected, "
            f"{len(households)} households in {time.monotonic() - started:.1f} s"
        )

    def _accounts(self) -> None:
        if User.objects.filter(username="city_hq").exists():
            self.stdout.write("demo accounts: already present (password unchanged)")
            return
        password = os.environ.get("FANGKONG_DEMO_PASSWORD") or secrets.token_urlsafe(9)
        city = Division.objects.get(code="3306")
        county = Division.objects.get(code="330602")
        town = Division.objects.filter(parent=county).order_by("code").first()
        village = Division.objects.filter(parent=town).order_by("code").first()
        assert town is not None and village is not None, "the Shaoxing tree is incomplete"
        grids = list(Division.objects.filter(parent=village).order_by("code")[:2])
        nodes = {
            "city": city,
            "county": county,
            "town": town,
            "village": village,
            "grid": grids[0],
            "grid2": grids[1],
        }
        self.stdout.write("demo accounts (password: %s)" % password)
        for username, role, where in DEMO_ACCOUNTS:
            user = User.objects.create_user(
                username=username, password=password, role=role, node=nodes[where]
            )
            if role == Role.SYSADMIN:
                user.is_staff = user.is_superuser = True
                user.save(update_fields=["is_staff", "is_superuser"])
            self.stdout.write(
                f"  {username:16} {role.label:40} {nodes[where].name} ({nodes[where].code})"
            )
        var = Path(os.environ.get("FANGKONG_VAR_DIR", "var"))
        if var.exists():
            (var / "demo-accounts.txt").write_text(
                "\n".join(f"{u} {r.value} {nodes[w].code}" for u, r, w in DEMO_ACCOUNTS)
                + f"\npassword: {password}\n"
            )
