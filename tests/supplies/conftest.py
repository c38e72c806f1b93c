"""Fixtures: a county warehouse in Yuecheng, a hospital store under it, one in Zhuji,
officers of each county, and a hospital requester."""

import pytest

from tests.conftest import TASHAN, YUECHENG, ZHUJI


def ensure_catalogue() -> None:
    """Transactional tests flush the seeded rows: put back the rule set and catalogue."""
    import importlib

    from django.apps import apps

    seed = importlib.import_module("fangkong.supplies.migrations.0002_seed_rules_and_catalogue")
    seed.seed(apps, None)


@pytest.fixture
def items(db):
    from fangkong.supplies.models import Item

    ensure_catalogue()
    return {i.standard or i.name: i for i in Item.objects.all()}


@pytest.fixture
def n95(items):
    return items["N95"]


@pytest.fixture
def officer(make_user):
    return make_user("supplies", YUECHENG, username="officer")


@pytest.fixture
def zhuji_officer(make_user):
    return make_user("supplies", ZHUJI, username="zhuji")


@pytest.fixture
def county_wh(db, node):
    from fangkong.supplies.models import Warehouse

    return Warehouse.objects.create(name="越城区物资储备库", kind="county", node=node(YUECHENG))


@pytest.fixture
def hospital_wh(db, node):
    from fangkong.supplies.models import Warehouse

    return Warehouse.objects.create(name="塔山医院库房", kind="hospital", node=node(TASHAN))


@pytest.fixture
def zhuji_wh(db, node):
    from fangkong.supplies.models import Warehouse

    return Warehouse.objects.create(name="诸暨市物资储备库", kind="county", node=node(ZHUJI))


@pytest.fixture
def hospital_user(make_user):
    return make_user("medical", TASHAN, username="hospital")
