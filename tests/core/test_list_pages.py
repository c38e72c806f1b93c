"""Every list page shows its total and pages past its first page (issue #17, Must 4:
no silent truncation). One case per list: make a few more rows than a page holds (the
page size is shrunk to 2 here), then the page must state the total, link to the next
page, and the last page must hold the rest."""

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest

from fangkong.core import listing as lists

ROWS = 5  # with two rows a page: pages 1, 2 and 3


@dataclass
class Case:
    role: str
    node: str
    url: str
    make: Callable[[Any, int], Any]  # (user, i) -> one row
    page: str = "page"  # the page parameter (prefixed when one page holds two lists)


def total(html: str, after: int = 0) -> int:
    match = re.search(r'data-total="(\d+)"', html[after:])
    assert match, "the list shows no total"
    return int(match.group(1))


def _node(code: str) -> Any:
    from fangkong.geo.models import Division

    return Division.objects.get(code=code)


def bulletin(user: Any, i: int) -> Any:
    from fangkong.public.models import Bulletin

    return Bulletin.objects.create(
        node=_node("3306"),
        day=dt.date(2020, 2, 1 + i),
        title=f"通报{i}",
        text="…",
        drafted_by=user,
    )


def article(user: Any, i: int) -> Any:
    from fangkong.public.models import Article

    return Article.objects.create(node=_node("3306"), title=f"知识{i}", body="…", author=user)


def rumour(user: Any, i: int) -> Any:
    from fangkong.public.models import Rumour

    return Rumour.objects.create(node=_node("3306"), text=f"谣言{i}", source="staff")


def school(user: Any, i: int) -> Any:
    from fangkong.public.models import SchoolPlan

    return SchoolPlan.objects.create(
        node=_node("330602"),
        school=f"学校{i}",
        return_date=dt.date(2020, 3, 1),
        contingency_plan="…",
        classes=1,
        students=10,
        staff=2,
        created_by=user,
    )


def gathering(user: Any, i: int) -> Any:
    from fangkong.public.models import Gathering

    return Gathering.objects.create(
        node=_node("330602001004"),
        kind="wedding",
        source="reported",
        planned_on=dt.date(2020, 2, 10),
        organiser=f"主办{i}",
        venue="礼堂",
        guests=20,
    )


def meeting(user: Any, i: int) -> Any:
    from fangkong.command.models import Meeting

    return Meeting.objects.create(
        node=_node("3306"), day=dt.date(2020, 2, 1 + i), title=f"会商{i}", chaired_by=user
    )


def deed(user: Any, i: int) -> Any:
    from fangkong.care.models import Deed

    return Deed.objects.create(
        node=_node("330602"), title=f"事迹{i}", text="…", hero_name=f"英雄{i}", submitted_by=user
    )


def unit(user: Any, i: int) -> Any:
    from fangkong.mobilisation.models import Unit

    return Unit.objects.create(name=f"单位{i}", kind="office", node=_node("330602"))


def post(user: Any, i: int) -> Any:
    from fangkong.mobilisation.models import Post

    return Post.objects.create(name=f"卡口{i}", kind="checkpoint", node=_node("330602001004"))


def site(user: Any, i: int) -> Any:
    from fangkong.observation.models import QuarantineSite

    return QuarantineSite.objects.create(name=f"隔离点{i}", address="…", node=_node("330602"))


CASES = {
    "public bulletins": Case("city_hq", "3306", "/public/staff/bulletins/", bulletin),
    "public articles": Case("city_hq", "3306", "/public/staff/articles/", article),
    "public rumours": Case("city_hq", "3306", "/public/staff/rumours/", rumour),
    "public schools": Case("city_hq", "3306", "/public/staff/schools/", school),
    "public gatherings": Case("city_hq", "3306", "/public/staff/gatherings/", gathering),
    "command meetings": Case("city_hq", "3306", "/command/meetings/", meeting),
    "care deeds": Case("city_hq", "3306", "/care/deeds/", deed),
    "mobilisation units": Case("city_hq", "3306", "/mobilisation/units/", unit),
    "mobilisation posts": Case("city_hq", "3306", "/mobilisation/posts/", post),
    "observation sites": Case("city_hq", "3306", "/observation/sites/", site),
}


@pytest.mark.parametrize("case", CASES.values(), ids=CASES.keys())
def test_list_page_shows_its_total_and_pages(case, client, make_user, monkeypatch):
    monkeypatch.setattr(lists, "PER_PAGE", 2)
    user = make_user(case.role, case.node)
    for i in range(ROWS):
        case.make(user, i)
    client.force_login(user)
    first = client.get(case.url)
    assert first.status_code == 200
    html = first.content.decode()
    assert total(html) == ROWS and "第 1 / 3 页" in html
    assert f"{case.page}=2" in html  # a link to the next page
    last = client.get(case.url, {case.page: 3}).content.decode()
    assert total(last) == ROWS and "第 3 / 3 页" in last


API_CASES = {
    "api public bulletins": Case("city_hq", "3306", "/api/v1/public/bulletins", bulletin),
    "api public articles": Case("city_hq", "3306", "/api/v1/public/articles", article),
    "api public rumours": Case("city_hq", "3306", "/api/v1/public/rumours", rumour),
    "api public schools": Case("city_hq", "3306", "/api/v1/public/schools", school),
    "api public gatherings": Case("city_hq", "3306", "/api/v1/public/gatherings", gathering),
}


def bearer(user: Any) -> dict[str, str]:
    from fangkong.accounts.models import ApiToken
    from fangkong.core import clock

    raw = ApiToken.new_raw()
    ApiToken.objects.create(
        user=user, digest=ApiToken.hash(raw), expires_at=clock.now() + dt.timedelta(days=30)
    )
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


@pytest.mark.parametrize("case", API_CASES.values(), ids=API_CASES.keys())
def test_api_list_counts_every_row_and_pages(case, client, make_user):
    """The API's twin: `count` is the total, and `page` reaches the last rows."""
    user = make_user(case.role, case.node)
    for i in range(ROWS):
        case.make(user, i)
    headers = bearer(user)
    first = client.get(case.url, {"page_size": 2}, **headers)
    assert first.status_code == 200, first.content
    assert first.json()["count"] == ROWS and len(first.json()["items"]) == 2
    last = client.get(case.url, {"page_size": 2, "page": 3}, **headers).json()
    assert last["count"] == ROWS and len(last["items"]) == 1
