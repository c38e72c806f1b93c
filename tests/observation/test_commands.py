import datetime as dt
import io

import pytest
from django.core.management import call_command

from fangkong.core import clock
from fangkong.observation.models import AlertTask, CheckIn, ObservationPeriod, QuarantineSite
from tests.conftest import GRID_A, GRID_B, TASHAN
from tests.observation.conftest import at

pytestmark = pytest.mark.django_db


def test_demo_observation_makes_every_state(make_user, make_person):
    make_user("grid_worker", GRID_A, username="grid_worker")
    make_user("quarantine_site", "330602", username="quarantine_site")
    for i in range(30):
        make_person(f"居民{i}", GRID_A if i % 2 else GRID_B)
    out = io.StringIO()
    with clock.frozen(at(dt.date(2020, 2, 15), 20)):
        call_command("demo_observation", periods=21, stdout=out)
    statuses = set(ObservationPeriod.objects.values_list("status", flat=True))
    assert statuses == {"active", "referred", "released", "transferred_out", "lost"}
    assert QuarantineSite.objects.count() == 2
    assert ObservationPeriod.objects.filter(place_kind="site").exists()
    assert ObservationPeriod.objects.filter(place_kind="home", status="active").exists()
    assert ObservationPeriod.objects.exclude(certificate_code=None).exists()
    # the sites' days have persons awaiting a room (待入住), still observed at home
    waiting = ObservationPeriod.objects.exclude(sent_to=None)
    assert waiting.count() == 2 and {p.place_kind for p in waiting} == {"home"}
    assert "2 sent to a site awaiting a room" in out.getvalue()
    # the fevers the sites see are readings, not one figure repeated
    fevers = CheckIn.objects.filter(temperature__gte=37.3).values_list("temperature", flat=True)
    assert len(set(fevers)) > 1
    assert "periods" in out.getvalue()
    again = io.StringIO()
    call_command("demo_observation", stdout=again)
    assert "kept" in again.getvalue()


def test_sweep_checkins_command(start):
    with clock.frozen(at(dt.date(2020, 2, 10), 7)):
        start()
    out = io.StringIO()
    with clock.frozen(at(dt.date(2020, 2, 10), 12, 30)):
        call_command("sweep_checkins", stdout=out)
    assert "1 tasks" in out.getvalue() and AlertTask.objects.count() == 1
    call_command("sweep_checkins", day="2020-02-10", window="morning", stdout=out)
    assert AlertTask.objects.count() == 1
    assert TASHAN
