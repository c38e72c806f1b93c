"""Issue #21: a normal check-in is judged on the code's stored basis instead of reading
every fact again — and must give what a full recomputation gives. Random sequences of
readings (normal, fever, symptom; observation check-ins, late ones, resident daily
check-ins; missed days; readings around midnight in Shanghai; the nightly batch on some
days) with a fixed seed: after every step the stored code equals the full result."""

import datetime as dt
import random
import uuid
from unittest import mock
from zoneinfo import ZoneInfo

import pytest
from django.db import transaction

from fangkong.core import clock
from fangkong.core.querysets import system_actor
from fangkong.healthcode import actions, rules
from fangkong.healthcode.models import Arrival, CodeRules, HealthCode
from fangkong.observation import actions as observation

TZ = ZoneInfo("Asia/Shanghai")
DAY0 = dt.date(2020, 2, 10)
pytestmark = pytest.mark.django_db


def _at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, minute, tzinfo=TZ)


def _stored(pid: int) -> tuple:
    code = HealthCode.objects.get(person_id=pid)
    return code.colour, code.reasons, code.basis


def _full(pid: int) -> tuple:
    """What a full recomputation stores now (undone afterwards: no drift is fixed)."""
    with transaction.atomic():
        actions.recompute_persons([pid])
        found = _stored(pid)
        transaction.set_rollback(True)
    return found


@pytest.fixture
def system_user():

    return system_actor()


READINGS = {
    "normal": ("36.6", []),
    "normal-high": ("37.2", []),
    "fever": ("38.4", []),
    "symptom": ("36.7", ["cough"]),
}


@pytest.mark.parametrize("seed", [21, 2020])
def test_incremental_codes_equal_the_full_recomputation_after_every_step(
    seed, make_person, system_user
):
    rng = random.Random(seed)
    CodeRules.objects.create(
        effective_from=DAY0 - dt.timedelta(days=30),
        red_days=3,
        red_checkins=3,
        yellow_checkins=2,
        high_risk_days=3,
        medium_risk_days=20,
    )
    observed, resident = make_person("观察"), make_person("居民")
    with clock.frozen(_at(DAY0, 9)):
        period = observation.start_period(
            system_user, observed, reason="close_contact", last_exposure=DAY0
        )
        for person, level in ((observed, "high"), (resident, "high"), (resident, "medium")):
            Arrival.objects.create(
                person=person, origin="武汉", risk_level=level, arrived_on=DAY0, path=person.path
            )
        actions.recompute_persons([observed.pk, resident.pk])
    real = actions._normal_checkin
    settled = []

    def spied(pid, day):  # type: ignore[no-untyped-def]
        settled.append(real(pid, day))
        return settled[-1]

    normal_readings = 0
    colours = set()
    with mock.patch.object(actions, "_normal_checkin", spied):
        for n in range(1, 31):
            day = DAY0 + dt.timedelta(days=n)
            if rng.random() < 0.6:  # the nightly batch ran this day (00:30)
                with clock.frozen(_at(day, 0, 30)):
                    actions.recompute_all(day)
            times = sorted(rng.sample([(0, 5), (8, 0), (12, 30), (19, 0), (23, 50)], 3))
            for hour, minute in times:
                if rng.random() < 0.2:
                    continue  # a missed reading (whole days go missing too)
                kind = rng.choice(["normal"] * 6 + ["normal-high", "fever", "symptom"])
                temperature, symptoms = READINGS[kind]
                normal_readings += kind.startswith("normal")
                person = rng.choice([observed, resident, resident])
                with clock.frozen(_at(day, hour, minute)):
                    if person is resident:
                        actions.daily_checkin(
                            resident,
                            client_id=uuid.uuid4(),
                            temperature=temperature,
                            symptoms=symptoms,
                        )
                    else:
                        late = rng.random()
                        taken = None
                        if late < 0.15:  # a late reading of an earlier day
                            taken = _at(max(DAY0, day - dt.timedelta(days=rng.randint(1, 4))), 20)
                        elif late < 0.2 and (hour, minute) == (23, 50):
                            taken = _at(day + dt.timedelta(days=1), 0, 0)  # past midnight
                        observation.check_in(
                            period,
                            client_id=uuid.uuid4(),
                            temperature=temperature,
                            symptoms=symptoms,
                            taken_at=taken,
                            user=system_user,
                            reporter_kind="staff",
                        )
                    stored = _stored(person.pk)
                    assert stored == _full(person.pk), (seed, day, hour, kind, person.name)
                    colours.add(stored[0])
    # the colour changed on the way, and many normal readings were settled on the basis
    assert len(colours) >= 2, colours
    assert settled.count(True) >= normal_readings // 3, (settled, normal_readings)


def test_the_basis_follows_the_run_of_normal_days():
    today = dt.date(2020, 3, 10)
    d = lambda n: today - dt.timedelta(days=n)  # noqa: E731
    run = rules.checkin_run({d(3): False, d(2): True, d(1): False, d(0): False}, today)
    assert run == {"last": today.isoformat(), "from": d(1).isoformat()}
    basis = {"checkins": run}
    assert rules.with_normal_checkin(basis, d(1), today) is basis  # counted already
    assert rules.with_normal_checkin(basis, d(2), today) is None  # next to the run: read again
    assert rules.with_normal_checkin(basis, d(5), today) is basis  # behind a gap
    assert rules.with_normal_checkin(basis, today + dt.timedelta(days=1), today) is None
    later = rules.with_normal_checkin(
        {"checkins": {"last": d(2).isoformat(), "from": None}}, d(1), today
    )
    assert later == {"checkins": {"last": d(1).isoformat(), "from": d(1).isoformat()}}
