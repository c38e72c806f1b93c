"""Shared fixtures: the real Shaoxing tree loaded once per test database, a few grids,
accounts of every role, a person factory that goes through the real action, and the
kit's helpers (tests/kit.py) as fixtures: `auth` (an API token's headers), `login` (a
logged-in client), `system` (the unsaved superuser) and headquarters of two counties."""

import os
from pathlib import Path

import pytest

from fangkong.core.querysets import system_actor
from tests import kit

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's sync API + live_server

DIVISIONS = (
    Path(__file__).resolve().parents[1] / "fangkong" / "geo" / "data" / "divisions-shaoxing.csv"
)

# Nodes used across tests: two grids of one Yuecheng community, a grid elsewhere in
# Yuecheng, and a village in Zhuji (another county).
YUECHENG = "330602"
TASHAN = "330602001"
HUAYUAN = "330602001004"
GRID_A = "330602001004G01"
GRID_B = "330602001004G02"
OTHER_TOWN_VILLAGE = "330602002001"
GRID_C = "330602002001G01"
ZHUJI = "330681"
ZHUJI_VILLAGE = "330681001001"
GRID_Z = "330681001001G01"


@pytest.fixture(scope="session", autouse=True)
def _companions_outside_the_checkout(tmp_path_factory):
    """The companion data sets (`FANGKONG_COMPANIONS_DIR`, read by `companions.actions.
    data_root`) live in a folder of this test session, never the checkout's var/: what a
    developer keeps there cannot change a page under test (the browser tests' companions
    page listed it), and no test (the demo's synthetic city) writes there. The
    environment carries it to any command a test starts; a test may still point the
    setting at its own folder."""
    from django.test import override_settings

    folder = tmp_path_factory.mktemp("companions")
    before = os.environ.get("FANGKONG_COMPANIONS_DIR")
    os.environ["FANGKONG_COMPANIONS_DIR"] = str(folder)
    with override_settings(FANGKONG_COMPANIONS_DIR=folder):
        yield folder
    if before is None:
        os.environ.pop("FANGKONG_COMPANIONS_DIR", None)
    else:
        os.environ["FANGKONG_COMPANIONS_DIR"] = before


def ensure_tree() -> None:
    """Load the real Shaoxing tree and the test grids unless they are there already."""
    from fangkong.geo.loaders import import_grids, load_divisions, read_csv
    from fangkong.geo.models import Division

    if Division.objects.filter(code=GRID_Z).exists():
        return
    load_divisions(read_csv(DIVISIONS))
    grids = ((HUAYUAN, "1"), (HUAYUAN, "2"), (OTHER_TOWN_VILLAGE, "1"), (ZHUJI_VILLAGE, "1"))
    rows = [
        {"village_code": v, "grid_code": g, "name": f"第{g}网格", "households": "120"}
        for v, g in grids
    ]
    report = import_grids(rows)
    assert not report.rejected, report.rejected


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):  # noqa: PT004
    with django_db_blocker.unblock():
        ensure_tree()


def ensure_seeds() -> None:
    """Configuration that data migrations seed (idempotent seed functions, run with the
    current models): a flush by an earlier transactional test removed it. Rule sets need
    nothing here, since with none stored the published defaults apply."""
    import importlib

    from django.apps import apps

    for module in ("fangkong.supervision.migrations.0002_seed_configuration",):
        importlib.import_module(module).seed(apps, None)


@pytest.fixture
def tree(transactional_db):
    """For transactional tests (browser tests): their flush empties the tables, so the
    tree and the seeded configuration are loaded again when a previous transactional
    test removed them."""
    ensure_tree()
    ensure_seeds()


@pytest.fixture
def node(db):
    from fangkong.geo.models import Division

    return lambda code: Division.objects.get(code=code)


@pytest.fixture
def make_user(db, node):
    from fangkong.accounts.models import User

    counter = {"n": 0}

    def make(role: str, code: str | None, **extra):
        counter["n"] += 1
        user = User.objects.create_user(
            username=extra.pop("username", f"{role}{counter['n']}"),
            password=extra.pop("password", "pw-for-tests-1"),
            role=role,
            node=node(code) if code else None,
            **extra,
        )
        return user

    return make


@pytest.fixture
def city_hq(make_user):
    return make_user("city_hq", "3306")


@pytest.fixture
def grid_worker(make_user):
    return make_user("grid_worker", GRID_A)


@pytest.fixture
def county_hq(make_user):
    return make_user("county_hq", YUECHENG)


@pytest.fixture
def zhuji_hq(make_user):
    """Headquarters of another county: the outsider of the scoping tests."""
    return make_user("county_hq", ZHUJI)


@pytest.fixture
def town_hq(make_user):
    return make_user("town_hq", TASHAN)


@pytest.fixture
def village_staff(make_user):
    return make_user("village_staff", HUAYUAN)


@pytest.fixture
def system():
    """The unsaved superuser the tests act as when the actor does not matter."""
    return kit.system_user()


@pytest.fixture
def system_user(system):
    return system


@pytest.fixture
def auth(db):
    """auth(user) → the headers of an API call by `user` (a fresh bearer token)."""
    return kit.bearer


@pytest.fixture
def login(client):
    """login(user) → the test client, logged in as `user`."""

    def do(user):
        client.force_login(user)
        return client

    return do


@pytest.fixture
def make_person(db):
    """Register through the real action (validation, encryption, index)."""
    from fangkong.people.actions import register_person

    system = system_actor()

    def make(name="张伟", node_code=GRID_A, **data):
        person, _similar = register_person(
            system, {"name": name, "node_code": node_code, **data}, confirm_similar=True
        )
        return person

    return make


@pytest.fixture
def facility(db):
    """The city hospital's fever clinic (in Yuecheng), where `add_case` treats its cases."""
    from fangkong.clinical.models import Facility

    return Facility.objects.create(
        name="绍兴市人民医院发热门诊", kind="fever_clinic", node=kit.division(YUECHENG)
    )


@pytest.fixture
def add_case(facility):
    """add_case(confirmed_at, node_code=GRID_A, status="confirmed", **extra) → a case
    stored by hand at its patient's home (tests/kit.py's `stored_case`)."""
    import itertools

    numbers = itertools.count(1)

    def make(confirmed_at, node_code=GRID_A, status="confirmed", **extra):
        return kit.stored_case(next(numbers), facility, confirmed_at, node_code, status, **extra)

    return make


@pytest.fixture(scope="session")
def cjk_fonts():
    """The PDFs need a CJK font (Debian fonts-noto-cjk; the Makefile's system-deps too)."""
    import subprocess

    script = Path(__file__).resolve().parents[1] / "scripts" / "apt-install-if-missing"
    font = "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"
    subprocess.run([str(script), font, "fonts-noto-cjk"], check=True)
    return font


@pytest.fixture(autouse=True)
def english_outside_requests():
    """Rules and commands speak the active language; tests read their English text.
    Requests still choose their own language (Chinese by default) in the middleware."""
    from django.utils import translation

    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def fresh_rule_sets():
    """Each test starts with no rule set kept in this process (DatedRuleSet.in_force):
    the previous test's rows were rolled back, which no signal reports, as a process
    starting afresh would have none."""
    from fangkong.core import models

    models._in_force.clear()
    yield
