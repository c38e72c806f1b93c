"""Digests instead of a flood, and a visit notice that follows its task to a new grid."""

import datetime as dt

import pytest

from fangkong.core import clock
from fangkong.notify import senders
from fangkong.notify.models import Notice
from tests.conftest import GRID_A, GRID_B
from tests.notify.conftest import DAY0, at

NAMES = [
    "王建华",
    "李桂英",
    "张德胜",
    "刘玉兰",
    "陈志刚",
    "杨秀珍",
    "赵国庆",
    "黄美玲",
    "周德明",
    "吴淑芬",
    "徐海涛",
    "孙丽娟",
]


@pytest.fixture
def visits(db, make_person, node):
    from fangkong.screening.models import ScreeningSubject, ScreeningTask

    grid = node(GRID_A)
    out = []
    with clock.frozen(at(DAY0, 7)):
        for i, name in enumerate(NAMES):
            person = make_person(name, GRID_A, address=f"越城区塔山街道花园社区{i + 1}幢")
            subject = ScreeningSubject.objects.create(
                person=person,
                name=name,
                node=grid,
                path=grid.path,
                placement="address",
                address=f"花园新村{i + 1}幢",
                origin="湖北武汉",
                key_area=True,
            )
            out.append(
                ScreeningTask.objects.create(
                    subject=subject,
                    node=grid,
                    path=grid.path,
                    key_area=True,
                    due_at=at(DAY0, 10 + i % 8),
                )
            )
    return out


def test_twelve_visits_today_make_one_message(
    visits, grid_worker, with_phone, run_commits, outbox, make_user
):
    with_phone(grid_worker, "13905751111")
    colleague = make_user("grid_worker", GRID_A)
    with clock.frozen(at(DAY0, 8)), run_commits():
        assert senders.visits_today(DAY0) == 1
        assert senders.visits_today(DAY0) == 0
    notice = Notice.objects.get(kind="visits_today")
    assert notice.params == {"n": 12}
    assert "12" in notice.title
    # both grid workers of the grid see it; one SMS to the one with a number
    assert (
        Notice.objects.for_user(grid_worker).count()
        == Notice.objects.for_user(colleague).count()
        == 1
    )
    assert [m[0] for m in outbox()] == ["13905751111"]


def test_visit_breach_warning_follows_the_task_to_its_new_grid(
    visits, system_user, node, make_user, run_commits
):
    from fangkong.notify.models import NoticeRules
    from fangkong.screening import actions as screening

    NoticeRules.objects.create(
        effective_from=DAY0, rules={"visit_breach": {"minutes": 60, "channels": ["inbox"]}}
    )
    with clock.frozen(at(DAY0, 9, 30)), run_commits():
        assert senders.visit_breach(clock.now()) == 2  # due at 10:00 (twice: tasks 1 and 9)
    first = Notice.objects.filter(kind="visit_breach").order_by("subject_id").first()
    task = visits[0]
    other = make_user("grid_worker", GRID_B)
    with clock.frozen(at(DAY0, 9, 35)):
        screening.transfer_task(system_user, task, node(GRID_B), "住址在第2网格")
    # the delivery job moves open notices to the task's new grid
    from fangkong.notify import schedule

    with clock.frozen(at(DAY0, 9, 40)):
        assert schedule.run_slot("notify-deliver", at(DAY0, 9, 40)) == "done"
    first.refresh_from_db()
    assert first.recipient_node == node(GRID_B)
    assert Notice.objects.for_user(other).filter(pk=first.pk).exists()
    assert dt.timedelta(0) < first.deadline - at(DAY0, 9, 30) <= dt.timedelta(hours=1)
