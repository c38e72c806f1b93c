"""A person's code history and appeals are never cut (issue #17, Must 4): the resident's
own pages, the staff appeal page and the API page every change with its total."""

import datetime as dt
import re

import pytest

from fangkong.core import clock
from fangkong.core import listing as lists
from fangkong.healthcode import tokens
from fangkong.healthcode.models import CodeChange
from tests.conftest import YUECHENG
from tests.core.test_list_pages import total, visible
from tests.kit import at
from tests.kit import bearer as auth

pytestmark = pytest.mark.django_db
T = at(dt.date(2020, 3, 5), 9)
ROWS = 5


def totals(html: str) -> list[int]:
    return [int(n) for n in re.findall(r'data-total="(\d+)"', html)]


@pytest.fixture
def person(make_person):
    found = make_person("码主")
    for i in range(ROWS):
        CodeChange.objects.create(
            person=found,
            from_colour="green" if i % 2 else "yellow",
            to_colour="yellow" if i % 2 else "green",
            reasons=[f"原因{i}"],
            at=T - dt.timedelta(days=i),
            path=found.path,
        )
    return found


def test_resident_code_page_pages_every_change(client, person, monkeypatch):
    monkeypatch.setattr(lists, "PER_PAGE", 2)
    url = f"/healthcode/me/{tokens.personal_token(person.pk)}/"
    with clock.frozen(T):
        html = client.get(url).content.decode()
        rows = CodeChange.objects.filter(person=person).count()  # and the one of today
        assert rows > ROWS and total(html) == rows and "hpage=2" in html
        last = client.get(url, {"hpage": 3}).content.decode()
    assert "第 3 / 3 页" in last and "yellow" not in visible(last) and "黄码" in visible(last)


def test_self_service_result_pages_changes_and_appeals(client, person, monkeypatch):
    from fangkong.selfservice.models import Appeal

    for i in range(3):
        Appeal.objects.create(
            person=person,
            number=f"SS{i:05d}",
            reason="填错了",
            colour_before="red",
            due_at=T,
            path=person.path,
            escalate_path=person.path,
        )
    monkeypatch.setattr(lists, "PER_PAGE", 2)
    url = f"/public/code/mine/{tokens.personal_token(person.pk)}/"
    with clock.frozen(T):
        html = client.get(url).content.decode()
        rows = CodeChange.objects.filter(person=person).count()
        assert totals(html) == [3, rows] and "apage=2" in html and "hpage=2" in html
        last = client.get(url, {"hpage": 3}).content.decode()
    assert "第 3 / 3 页" in last and "原因4" in last and "原因0" not in last


def test_staff_appeal_page_pages_the_history(client, make_user, person, monkeypatch):
    from fangkong.selfservice.models import Appeal

    appeal = Appeal.objects.create(
        person=person,
        number="SS00009",
        reason="填错了",
        colour_before="red",
        due_at=T,
        path=person.path,
        escalate_path=person.path,
    )
    monkeypatch.setattr(lists, "PER_PAGE", 2)
    client.force_login(make_user("county_hq", YUECHENG))
    with clock.frozen(T):
        html = client.get(f"/selfservice/appeals/{appeal.pk}/").content.decode()
        last = client.get(f"/selfservice/appeals/{appeal.pk}/", {"hpage": 3}).content.decode()
    assert totals(html) == [0, ROWS] and "hpage=2" in html  # declarations, then changes
    assert "第 3 / 3 页" in last and "原因4" in last and "yellow" not in visible(last)


def test_api_history_counts_every_change_and_pages(client, make_user, person):
    headers = auth(make_user("county_hq", YUECHENG))
    api = f"/api/v1/healthcode/persons/{person.pk}"
    with clock.frozen(T):
        code = client.get(api, **headers).json()
        first = client.get(f"{api}/history", {"page_size": 2}, **headers).json()
        last = client.get(f"{api}/history", {"page_size": 2, "page": 3}, **headers).json()
        other = client.get(f"{api}/history", **auth(make_user("county_hq", "330681"))).status_code
    rows = CodeChange.objects.filter(person=person).count()  # and the one of today
    assert code["history_count"] == rows > ROWS and len(code["history"]) == rows
    assert first["count"] == rows and len(first["items"]) == 2
    assert [h["reasons"] for h in last["items"]] == [["原因3"], ["原因4"]]
    assert other == 404


def test_staff_code_page_history_is_a_labelled_table(client, make_user, person):
    """On a phone the history becomes cards: its table has a header row, so each cell
    carries its column's name (core.tables labels every table with one)."""
    client.force_login(make_user("county_hq", YUECHENG))
    with clock.frozen(T):
        html = client.get(f"/healthcode/persons/{person.pk}/").content.decode()
    start = html.rindex("<table", 0, html.index("原因0"))
    history = html[start : html.index("</table>", start)]
    assert 'data-label="时间"' in history and 'data-label="原因"' in history
    assert "原因0" in visible(html) and "yellow" not in visible(html)
