"""Today's visits: every task is reachable (a total and pages, no silent cut), the filters
a grid worker uses (name, last digits of the ID, village by name, due date), and the
home card's count equals the list's total."""

import re

import pytest
from django.utils import timezone

from fangkong.core import home
from tests.conftest import GRID_A, GRID_B
from tests.idnumbers import rid

SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗"


def rows(response) -> int:
    return response.content.decode().count('<li class="task')


def total(response) -> int:
    match = re.search(r'data-total="(\d+)"', response.content.decode())
    assert match, "the list shows no total"
    return int(match.group(1))


@pytest.fixture
def many(make_task, make_user):
    """57 open tasks in 花园社区: 52 in the first grid, 5 in the second."""
    village = make_user("village_staff", "330602001004")
    tasks = [
        make_task(
            code=GRID_A if i < 52 else GRID_B,
            name=f"{SURNAMES[i % 20]}{'建国秀英'[i % 4]}{i}",
            id_number=rid("330602", f"19{50 + i % 40}-03-{1 + i % 27:02d}", seq=100 + i),
        )
        for i in range(57)
    ]
    return village, tasks


def test_total_and_pages_hold_every_task(client, many):
    village, tasks = many
    client.force_login(village)
    first = client.get("/screening/today/")
    assert first.status_code == 200
    assert total(first) == 57 and rows(first) == 50
    text = first.content.decode()
    assert "共 57 条" in text and "第 1 / 2 页" in text
    second = client.get("/screening/today/?page=2")
    assert rows(second) == 7 and "第 2 / 2 页" in second.content.decode()
    shown = set(re.findall(r"/screening/tasks/(\d+)/", first.content.decode()))
    shown |= set(re.findall(r"/screening/tasks/(\d+)/", second.content.decode()))
    assert shown == {str(t.pk) for t in tasks}


def test_home_card_count_equals_the_list_total(client, many):
    village, _tasks = many
    client.force_login(village)
    card = next(c for c in home.cards_for(village) if c["card"].url_name == "screening:today")
    assert card["count"] == total(client.get("/screening/today/")) == 57


def test_filters_by_name_id_tail_village_and_date(client, many):
    village, tasks = many
    client.force_login(village)
    target = tasks[33]
    by_name = client.get("/screening/today/", {"q": target.subject.name})
    assert total(by_name) == 1 and target.subject.name in by_name.content.decode()
    tail = target.subject.id_masked[-4:]
    by_tail = client.get("/screening/today/", {"tail": tail})
    expected = sum(1 for t in tasks if t.subject.id_masked.endswith(tail))
    assert total(by_tail) == expected >= 1
    assert target.subject.name in by_tail.content.decode()
    # the grid typed by its everyday name with the village: 花园 第2网格
    by_grid = client.get("/screening/today/", {"node": "花园 第2网格"})
    assert total(by_grid) == 5
    due = timezone.localtime(target.due_at).date().isoformat()  # the day as Shaoxing reads it
    assert total(client.get("/screening/today/", {"from": due, "to": due})) == 57
    assert total(client.get("/screening/today/", {"to": "2000-01-01"})) == 0


def test_filters_survive_paging(client, many):
    village, _tasks = many
    client.force_login(village)
    page = client.get("/screening/today/", {"node": "花园社区"}).content.decode()
    assert "page=2" in page and "node=%E8%8A%B1%E5%9B%AD%E7%A4%BE%E5%8C%BA" in page


def test_an_id_tail_that_is_not_digits_is_refused(client, many):
    village, _tasks = many
    client.force_login(village)
    response = client.get("/screening/today/", {"tail": "abcde"})
    assert total(response) == 0 and "最后一至四位" in response.content.decode()
