"""The demo's foundation, accounts' part: one demo account per role at its node."""

import os
import secrets
from collections.abc import Callable
from pathlib import Path

from fangkong.accounts.models import User
from fangkong.accounts.roles import Role
from fangkong.core.demo_steps import Options
from fangkong.geo.models import Division

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


def accounts(options: Options, write: Callable[[str], None]) -> None:
    if User.objects.filter(username="city_hq").exists():
        write("demo accounts: already present (password unchanged)")
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
    write("demo accounts (password: %s)" % password)
    for username, role, where in DEMO_ACCOUNTS:
        user = User.objects.create_user(
            username=username, password=password, role=role, node=nodes[where]
        )
        if role == Role.SYSADMIN:
            user.is_staff = user.is_superuser = True
            user.save(update_fields=["is_staff", "is_superuser"])
        write(f"  {username:16} {role.label:40} {nodes[where].name} ({nodes[where].code})")
    var = Path(os.environ.get("FANGKONG_VAR_DIR", "var"))
    if var.exists():
        (var / "demo-accounts.txt").write_text(
            "\n".join(f"{u} {r.value} {nodes[w].code}" for u, r, w in DEMO_ACCOUNTS)
            + f"\npassword: {password}\n"
        )
