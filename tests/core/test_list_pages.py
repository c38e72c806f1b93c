"""Every list page shows its total and pages past its first page (issue #17, Must 4:
no silent truncation). One case per list: make a few more rows than a page holds (the
page size is shrunk to 2 here), then the page must state the total, link to the next
page, and the last page must hold the rest."""

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass
from html.parser import HTMLParser
from typing import Any

import pytest

from fangkong.core import listing as lists
from fangkong.core.querysets import system_actor
from tests.ui.text import explain, untranslated

ROWS = 5  # with two rows a page: pages 1, 2 and 3


@dataclass
class Case:
    role: str
    node: str
    url: str
    make: Callable[[Any, int], Any]  # (user, i) -> one row
    page: str = "page"  # the page parameter (prefixed when one page holds two lists)
    others: int = 0  # rows that are there without `make` (the signed-in account itself)


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


def alias(user: Any, i: int) -> Any:
    from fangkong.screening import placing

    return placing.add_alias(user, f"别名小区{i}", _node("330602001004G01"))


def grid_key(user: Any, i: int) -> Any:
    from fangkong.geo.models import GridAddressKey

    return GridAddressKey.objects.create(
        grid=_node("330602001004G01"), kind="estate", text=f"小区{i}", created_by=user
    )


def village_task(user: Any, i: int) -> Any:
    from fangkong.core import clock
    from fangkong.people.actions import register_person
    from fangkong.screening.models import ScreeningSubject, ScreeningTask

    village = _node("330602001004")
    system = system_actor()
    person, _similar = register_person(
        system, {"name": f"待分{i}", "node_code": village.code}, confirm_similar=True
    )
    subject = ScreeningSubject.objects.create(
        person=person,
        name=person.name,
        address=f"测试地址{i}号",
        node=village,
        path=village.path,
        placement="address",
        sources="电信推送",
    )
    return ScreeningTask.objects.create(
        subject=subject, node=village, path=village.path, due_at=clock.now()
    )


def observed(user: Any, i: int) -> Any:
    from fangkong.core import clock
    from fangkong.observation import actions
    from fangkong.people.actions import register_person

    system = system_actor()
    person, _similar = register_person(
        system, {"name": f"观察{i}", "node_code": "330602001004G01"}, confirm_similar=True
    )
    return actions.start_period(
        user, person, reason="key_area_arrival", last_exposure=clock.today()
    )


def notice(user: Any, i: int) -> Any:
    from fangkong.notify.models import Notice

    return Notice.objects.create(
        kind="visits_today", key=f"test-{user.pk}-{i}", recipient_user=user, title=f"通知{i}"
    )


def risk_area(user: Any, i: int) -> Any:
    from fangkong.riskareas.models import RiskArea

    return RiskArea.objects.create(
        code=f"42010{i}",
        name=f"武汉{i}区",
        level="county",
        risk="high",
        starts_on=dt.date(2020, 1, 20),
        source="国家卫健委",
    )


def account(user: Any, i: int) -> Any:
    from fangkong.accounts.models import User

    return User.objects.create(
        username=f"worker{i}", role="grid_worker", node=_node("330602001004G01")
    )


def area_token(user: Any, i: int) -> Any:
    from fangkong.accounts.models import ApiToken
    from fangkong.core import clock

    return ApiToken.objects.create(
        user=account(user, i),
        digest=ApiToken.hash(ApiToken.new_raw()),
        expires_at=clock.now() + dt.timedelta(days=30),
    )


def published(user: Any, i: int) -> Any:
    from fangkong.core import clock
    from fangkong.public.models import PublishedBulletin

    return PublishedBulletin.objects.create(
        node_code="3306", day=dt.date(2020, 2, 1 + i), title=f"通报{i}", published_at=clock.now()
    )


def member(user: Any, i: int) -> Any:
    from fangkong.mobilisation.models import Member

    village = _node("330602001004")
    return Member.objects.create(name=f"党员{i}", community=village, path=village.path)


def care_rules(user: Any, i: int) -> Any:
    from fangkong.care.models import CareRules

    return CareRules.objects.create(effective_from=dt.date(2020, 3, 1 + i), note=f"规则{i}")


def difficulty(user: Any, i: int) -> Any:
    from fangkong.care import actions
    from fangkong.care.models import Category

    Category.objects.get_or_create(code="childcare", defaults={"name": "子女照护"})
    return actions.report_difficulty(
        user,
        phone=f"1391234{i:04d}",
        reporter_name="王芳",
        category="childcare",
        description="孩子无人照看",
        node=_node("330602001004"),
    )


def supervision_plan(user: Any, i: int) -> Any:
    from fangkong.supervision import actions

    day = dt.date(2020, 2, 1 + i)
    return actions.create_plan(
        user, _node("330602"), title=f"督查{i}", starts_on=day, ends_on=day, topics=["screening"]
    )


def index_case(user: Any, i: int) -> Any:
    from fangkong.people.actions import register_person
    from fangkong.tracing import actions

    system = system_actor()
    person, _similar = register_person(
        system, {"name": f"病例{i}", "node_code": "330602001004G01"}, confirm_similar=True
    )
    return actions.open_index_case(system, person, {"onset_date": "2020-02-01"})


# ------------------------------------------------- rows of lists paged in #17 (wt-lists)


def offline_rules(user: Any, i: int) -> Any:
    from fangkong.offline.models import OfflineRules

    return OfflineRules.objects.create(effective_from=dt.date(2020, 3, 1 + i), note=f"规则{i}")


def phone_status(user: Any, i: int) -> Any:
    """A grid worker's phone that reported items waiting (the village's status page)."""
    from fangkong.offline import actions
    from tests import kit

    worker = kit.account("grid_worker", kit.GRID_A, f"kit-phone-{i}")
    return actions.record_status(worker, f"手机{i}", i + 1, None)


def orphan(user: Any, i: int) -> Any:
    """A visit a phone sent for a task that was gone."""
    from fangkong.core import clock
    from fangkong.offline.models import OrphanVisit

    return OrphanVisit.objects.create(
        task_ref=str(9000 + i),
        subject_name=f"离线{i}",
        recorded_at=clock.now(),
        path=_node("330602001004G01").path,
    )


def gate_venue(user: Any, i: int) -> Any:
    from fangkong.tracing import venues

    system = system_actor()
    data = {"name": f"卡口{i}", "kind": "gate", "node": _node("330602001004G01")}
    return venues.create_venue(system, data)


def handover_request(user: Any, i: int) -> Any:
    from tests import kit

    return kit.handover_request(i)


def rest_rules(user: Any, i: int) -> Any:
    from fangkong.mobilisation.models import RestRuleSet

    return RestRuleSet.objects.create(effective_from=dt.date(2019, 6, 1 + i), note=f"规则{i}")


def risk_rules(user: Any, i: int) -> Any:
    from fangkong.briefing.models import RiskRules

    return RiskRules.objects.create(effective_from=dt.date(2019, 6, 1 + i), note=f"规则{i}")


def briefing_rules(user: Any, i: int) -> Any:
    from fangkong.briefing.models import BriefingRules

    return BriefingRules.objects.create(effective_from=dt.date(2019, 6, 1 + i))


def partner_city(user: Any, i: int) -> Any:
    """A partner city for hand-overs (codes 420000, 420100, … never our own 330600)."""
    from tests import kit

    return kit.partner(f"42{i:02d}00")


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
    "screening aliases": Case("town_hq", "330602001", "/screening/aliases/", alias),
    "screening grid keys": Case("town_hq", "330602001", "/screening/grid-keys/", grid_key),
    "screening village tasks": Case(
        "village_staff", "330602001004", "/screening/village/", village_task
    ),
    "observation line list": Case("city_hq", "3306", "/observation/lists/open/", observed),
    "notices inbox": Case("grid_worker", "330602001004G01", "/notices/", notice),
    "risk areas in force": Case("city_hq", "3306", "/riskareas/", risk_area, page="fpage"),
    "enrolment accounts": Case("sysadmin", "330602", "/accounts/enrolment/", account, others=1),
    "area tokens": Case("sysadmin", "330602", "/accounts/tokens/", area_token, page="apage"),
    # paged in #17 (wt-lists)
    "offline rule sets": Case("city_hq", "3306", "/offline/rules/", offline_rules),
    "offline orphan visits": Case(
        "village_staff", "330602001004", "/offline/status/", orphan, page="opage"
    ),
    "offline phones": Case("village_staff", "330602001004", "/offline/status/", phone_status),
    "care rule sets": Case("city_hq", "3306", "/care/rules/", care_rules, others=1),
    "rest rule sets": Case("city_hq", "3306", "/mobilisation/rules/", rest_rules, others=1),
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
    rows = ROWS + case.others
    assert total(html) == rows and f"第 1 / {pages(rows)} 页" in html
    assert f"{case.page}=2" in html  # a link to the next page
    last = client.get(case.url, {case.page: pages(rows)}).content.decode()
    assert total(last) == rows and f"第 {pages(rows)} / {pages(rows)} 页" in last
    text = visible(html)
    assert untranslated(text) == [], explain(text)
    assert "过滤器" not in text  # Django admin's word for a filter device, not 筛选


def pages(rows: int) -> int:
    return -(-rows // 2)


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self.hidden = 0

    def handle_starttag(self, tag: str, attrs: Any) -> None:
        self.hidden += tag in ("script", "style", "template")

    def handle_endtag(self, tag: str) -> None:
        self.hidden -= tag in ("script", "style", "template") and self.hidden > 0

    def handle_data(self, data: str) -> None:
        if not self.hidden:
            self.parts.append(data)


def visible(html: str) -> str:
    """The text a reader sees (no scripts, styles or attributes)."""
    from fangkong.accounts.models import User

    parser = _Text()
    parser.feed(html)
    text = " ".join(parser.parts)
    for name in User.objects.values_list("username", flat=True):  # account names are data
        text = text.replace(name, "")
    return text


API_CASES = {
    "api public bulletins": Case("city_hq", "3306", "/api/v1/public/bulletins", bulletin),
    "api public articles": Case("city_hq", "3306", "/api/v1/public/articles", article),
    "api public rumours": Case("city_hq", "3306", "/api/v1/public/rumours", rumour),
    "api public schools": Case("city_hq", "3306", "/api/v1/public/schools", school),
    "api public gatherings": Case("city_hq", "3306", "/api/v1/public/gatherings", gathering),
    "api screening aliases": Case("town_hq", "330602001", "/api/v1/screening/aliases", alias),
    "api screening grid keys": Case(
        "town_hq", "330602001", "/api/v1/screening/grid-keys", grid_key
    ),
    "api notices": Case("grid_worker", "330602001004G01", "/api/v1/notices/", notice),
    "api risk areas": Case("city_hq", "3306", "/api/v1/riskareas/", risk_area),
    "api area tokens": Case(
        "sysadmin", "330602", "/api/v1/auth/accounts/tokens", area_token, others=1
    ),
    "api mobilisation members": Case("city_hq", "3306", "/api/v1/mobilisation/members", member),
    "api open bulletins": Case("city_hq", "3306", "/api/v1/public/open/bulletins", published),
    "api care rule sets": Case("city_hq", "3306", "/api/v1/care/rules", care_rules, others=1),
    "api care difficulties": Case("county_hq", "330602", "/api/v1/care/difficulties", difficulty),
    "api supervision plans": Case(
        "discipline", "330602", "/api/v1/supervision/plans", supervision_plan
    ),
    "api tracing cases": Case("county_hq", "330602", "/api/v1/tracing/cases", index_case),
    # paged in #17 (wt-lists)
    "api offline rule sets": Case("city_hq", "3306", "/api/v1/offline/rules", offline_rules),
    "api offline phones": Case(
        "village_staff", "330602001004", "/api/v1/offline/devices", phone_status
    ),
    "api offline orphans": Case("village_staff", "330602001004", "/api/v1/offline/orphans", orphan),
    "api offline gates": Case(
        "grid_worker", "330602001004G01", "/api/v1/offline/venues", gate_venue
    ),
    "api rest rule sets": Case(
        "city_hq", "3306", "/api/v1/mobilisation/rest-rules", rest_rules, others=1
    ),
    "api risk rule sets": Case(
        "city_hq", "3306", "/api/v1/briefing/risk-rules", risk_rules, others=2
    ),
    "api exchange requests": Case(
        "county_hq", "330602", "/api/v1/exchange/requests", handover_request
    ),
    "api briefing rule sets": Case(
        "city_hq", "3306", "/api/v1/briefing/rules", briefing_rules, others=1
    ),
    "api exchange partners": Case("city_hq", "3306", "/api/v1/exchange/partners", partner_city),
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
    rows = ROWS + case.others  # the bearer token of the caller itself, for area tokens
    first = client.get(case.url, {"page_size": 2}, **headers)
    assert first.status_code == 200, first.content
    assert first.json()["count"] == rows and len(first.json()["items"]) == 2
    last = client.get(case.url, {"page_size": 2, "page": pages(rows)}, **headers).json()
    assert last["count"] == rows and len(last["items"]) == rows - 2 * (pages(rows) - 1)
