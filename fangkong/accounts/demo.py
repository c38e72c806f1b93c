"""The demo's foundation, accounts' part: one demo account per role at its node."""

import os
import secrets
from collections.abc import Callable
from pathlib import Path

from django.conf import settings
from django.utils import translation

from fangkong.accounts.models import User
from fangkong.accounts.roles import Role
from fangkong.core.demo_steps import Options
from fangkong.geo.models import Division

# (username, role, how to pick the node, the name shown on the pages)
DEMO_ACCOUNTS = [
    ("sysadmin", Role.SYSADMIN, "city", "系统管理员 陈立"),
    ("city_hq", Role.CITY_HQ, "city", "市指挥部 王建国"),
    ("cdc", Role.CDC, "city", "市疾控 李慧"),
    ("supplies", Role.SUPPLIES, "city", "物资组 赵强"),
    ("organisation", Role.ORGANISATION, "city", "组织部 孙丽"),
    ("discipline", Role.DISCIPLINE, "city", "纪委监委 周正"),
    ("county_hq", Role.COUNTY_HQ, "county", "越城区指挥部 吴明"),
    ("medical", Role.MEDICAL, "county", "发热门诊 郑医生"),
    ("quarantine_site", Role.QUARANTINE_SITE, "county", "隔离点 冯芳"),
    ("town_hq", Role.TOWN_HQ, "town", "塔山街道指挥部 陈刚"),
    ("village_staff", Role.VILLAGE_STAFF, "village", "花园社区 褚红"),
    ("grid_worker", Role.GRID_WORKER, "grid", "网格员 卫东"),
    ("grid_worker2", Role.GRID_WORKER, "grid2", "网格员 蒋敏"),
]


def staff_account(role: str, node: Division, username: str) -> User:
    """The first active account of `role` at `node`, else a new one (no password: it
    cannot sign in) named for its place and duty, as a real account is."""
    user = User.objects.filter(role=role, node=node, is_active=True).order_by("pk").first()
    if user is None:
        with translation.override(settings.LANGUAGE_CODE):
            shown = f"{node.name} {Role(role).label}"[:60]
        user = User(username=username, role=role, node=node, display_name=shown)
        user.set_unusable_password()
        user.save()
    return user


def node_of(username: str) -> Division | None:
    """The node of the demo account `username` (a grid for "grid_worker"); None before
    the accounts step has made it."""
    account = User.objects.filter(username=username).select_related("node").first()
    return account.node if account is not None else None


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
    for username, role, where, shown in DEMO_ACCOUNTS:
        user = User.objects.create_user(
            username=username, password=password, role=role, node=nodes[where], display_name=shown
        )
        if role == Role.SYSADMIN:
            user.is_staff = user.is_superuser = True
            user.save(update_fields=["is_staff", "is_superuser"])
        write(f"  {username:16} {role.label:40} {nodes[where].name} ({nodes[where].code})")
    var = Path(os.environ.get("FANGKONG_VAR_DIR", "var"))
    if var.exists():
        (var / "demo-accounts.txt").write_text(
            "\n".join(f"{u} {r.value} {nodes[w].code}" for u, r, w, _shown in DEMO_ACCOUNTS)
            + f"\npassword: {password}\n"
        )
