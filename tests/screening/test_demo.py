"""The demo step builds a day of screening through the real pipeline, once."""

import pytest

from fangkong.screening import demo
from fangkong.screening.models import PushedList, ScreeningTask, Visit


@pytest.mark.django_db
def test_demo_day_of_screening():
    summary = demo.run(seed=3, arrivals=120)
    assert "visited" in summary
    assert PushedList.objects.count() == 3
    assert ScreeningTask.objects.exists() and Visit.objects.exists()
    assert ScreeningTask.objects.filter(status="open").exists()
    assert demo.run(seed=3, arrivals=120) == "screening demo already present"
