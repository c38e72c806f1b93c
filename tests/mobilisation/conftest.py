"""Fixtures: community staff of Huayuan (Yuecheng) and of a Zhuji village, the
Yuecheng organisation department, members, a checkpoint with shifts."""

import datetime as dt

import pytest

from fangkong.core import clock
from tests.conftest import HUAYUAN, YUECHENG, ZHUJI, ZHUJI_VILLAGE

NOW = dt.datetime(2020, 2, 10, 9, 0, tzinfo=dt.timezone(dt.timedelta(hours=8)))


@pytest.fixture(autouse=True)
def frozen_clock():
    with clock.frozen(NOW):
        yield


@pytest.fixture
def staff(make_user):
    return make_user("village_staff", HUAYUAN)


@pytest.fixture
def zhuji_staff(make_user):
    return make_user("village_staff", ZHUJI_VILLAGE)


@pytest.fixture
def orgdept(make_user):
    return make_user("organisation", YUECHENG)


@pytest.fixture
def zhuji_orgdept(make_user):
    return make_user("organisation", ZHUJI)


@pytest.fixture
def ensure_rules(db):
    import importlib

    from django.apps import apps

    importlib.import_module("fangkong.mobilisation.migrations.0002_seed_rest_rules").seed(
        apps, None
    )


@pytest.fixture
def make_member(db, system, node, ensure_rules):
    from fangkong.mobilisation.actions import members, registration

    counter = {"n": 0}

    def make(name="李明", community=HUAYUAN, confirmed=True, **data):
        counter["n"] += 1
        phone = data.pop("phone", f"1380000{counter['n']:04d}")
        member = members.save_member(
            system, None, {"name": name, "phone": phone, **data}, node=node(community)
        )
        reg = registration.register(member, node(community))
        if confirmed:
            registration.confirm(system, reg)
        member.refresh_from_db()
        return member

    return make


@pytest.fixture
def checkpoint(db, system, node):
    from fangkong.mobilisation.actions import rosters

    post = rosters.save_post(
        system,
        None,
        node=node(HUAYUAN),
        data={
            "name": "花园社区卡口",
            "kind": "checkpoint",
            "required_per_shift": 2,
            "shift_hours": 8,
        },
    )
    rosters.plan_shifts(system, post, NOW.date(), 3)
    return post


@pytest.fixture
def zhuji_post(db, system, node):
    from fangkong.mobilisation.actions import rosters as rosters_actions

    post = rosters_actions.save_post(
        system,
        None,
        node=node(ZHUJI_VILLAGE),
        data={"name": "诸暨卡口", "kind": "checkpoint", "required_per_shift": 1, "shift_hours": 8},
    )
    rosters_actions.plan_shifts(system, post, NOW.date(), 1)
    return post


def shifts_of(post):
    return list(post.shifts.order_by("starts_at"))
