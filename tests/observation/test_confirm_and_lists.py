"""A release names the person on a confirmation page before it is written; the missed
check-in card counts what its list holds, and the list pages past its first page."""

import datetime as dt
import re

import pytest
from django.urls import reverse

from fangkong.core import clock, home
from fangkong.observation.models import AlertTask, ObservationPeriod
from tests.observation.conftest import at

pytestmark = pytest.mark.django_db
DAY0 = dt.date(2020, 2, 10)


def test_release_asks_for_confirmation_naming_the_person(login, city_hq, start):
    with clock.frozen(at(DAY0, 8)):
        period = start(
            name="王芳",
            last_exposure=DAY0 - dt.timedelta(days=14),
        )
        c = login(city_hq)
        url = reverse("observation:period_action", args=[period.pk, "release"])
        page = c.post(url, {"negative_test_on": "2020-02-09"})
        text = page.content.decode()
        assert page.status_code == 200 and "确认解除医学观察" in text
        assert "王芳" in text and "2020-02-09" in text
        period.refresh_from_db()
        assert period.status != "released"  # nothing written yet
        hidden = dict(re.findall(r'name="(\w+)" value="([^"]*)"', text.rsplit("<form", 1)[-1]))
        assert hidden["confirmed"] == "1" and hidden["negative_test_on"] == "2020-02-09"
        done = c.post(url, hidden)
    assert done.status_code == 302
    period.refresh_from_db()
    assert period.status == "released"


def test_missed_checkins_card_equals_the_list_and_pages(login, make_user, start):
    worker = make_user("grid_worker", "330602001004G01")
    with clock.frozen(at(DAY0 - dt.timedelta(days=40), 8)):
        old = start(name="赵老伯", last_exposure=DAY0 - dt.timedelta(days=41))
    with clock.frozen(at(DAY0, 8)):
        periods = [
            start(name=f"陈{'一二三四五六七八九十'[i % 10]}{i}", last_exposure=DAY0)
            for i in range(26)
        ]
    # two windows missed per person on DAY0 (52 tasks), one open task from last month
    tasks = [
        AlertTask(
            period=p,
            local_date=DAY0,
            window=w,
            path=p.path,
            status="open",
        )
        for p in periods
        for w in ("morning", "evening")
    ]
    tasks.append(
        AlertTask(
            period=old,
            local_date=DAY0 - dt.timedelta(days=35),
            window="morning",
            path=old.path,
            status="open",
        )
    )
    AlertTask.objects.bulk_create(tasks)
    c = login(worker)
    with clock.frozen(at(DAY0 + dt.timedelta(days=1), 9)):
        card = next(x for x in home.cards_for(worker) if x["card"].url_name == "observation:tasks")
        first = c.get(reverse("observation:tasks")).content.decode()
        second = c.get(reverse("observation:tasks"), {"page": 2}).content.decode()
    assert card["count"] == 53
    assert 'data-total="53"' in first and "共 53 条" in first
    assert first.count('class="card task"') == 50 and second.count('class="card task"') == 3
    assert "赵老伯" in second  # the old task is not cut off
    assert ObservationPeriod.objects.count() == 27
