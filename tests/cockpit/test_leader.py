"""A leader's cockpit reads the briefing's own figures: at the briefing's cut-off the
headline, the change since yesterday, the overdue counts and the five-colour ratings are
those of the stored briefing of the same day and jurisdiction."""

import datetime as dt

import pytest
from django.utils import timezone

from fangkong.briefing.compute import compute, cutoff_for
from fangkong.cockpit.leader import COLOURS
from fangkong.core import clock
from tests.cockpit.conftest import DAY0, at
from tests.conftest import GRID_A, GRID_C, GRID_Z, HUAYUAN, TASHAN, YUECHENG

pytestmark = pytest.mark.django_db


@pytest.fixture
def history(add_case, add_task):
    """Cases over three days in two counties, one with an overdue report; screening
    tasks overdue at the cut-off in two towns of Yuecheng and one not yet due."""
    eve, before = DAY0 - dt.timedelta(days=1), DAY0 - dt.timedelta(days=2)
    with clock.frozen(at(before, 15)):
        add_case(at(before, 14))
        add_case(at(before, 14), node_code=GRID_Z)
    with clock.frozen(at(eve, 15)):
        add_case(at(eve, 10))
        add_case(at(eve, 11), report_due=at(eve, 13))  # never reported: overdue
        add_case(at(eve, 12), status="suspected")
        add_task(at(eve, 20), name="陈明")
        add_task(at(eve, 21), code=GRID_C, name="周丽")
        add_task(at(DAY0, 20), name="吴强")  # due after the cut-off


def stored_briefing(node):
    """Yesterday's and today's briefings, each computed at its cut-off."""
    for day in (DAY0 - dt.timedelta(days=1), DAY0):
        with clock.frozen(cutoff_for(day)):
            b = compute(node, day)
    return b


@pytest.mark.parametrize(("role", "code"), [("city_hq", "3306"), ("county_hq", YUECHENG)])
def test_cockpit_figures_are_the_briefings(history, client, make_user, node, role, code):
    leader = make_user(role, code)
    b = stored_briefing(node(code))
    with clock.frozen(cutoff_for(DAY0)):
        client.force_login(leader)
        response = client.get("/")
    assert response.status_code == 200
    cockpit = response.context["cockpit"]
    shown = {f["name"]: f for f in cockpit["figures"]}
    assert set(shown) == {
        "confirmed", "suspected", "asymptomatic", "under_observation",
        "screening_overdue", "screening_open",
    }  # fmt: skip
    for name, f in shown.items():
        stored = b.data["change"][name]
        assert (f["today"], f["yesterday"], f["delta"]) == (
            stored["today"],
            stored["yesterday"],
            stored["delta"],
        ), name
    assert cockpit["new_confirmed"] == b.data["cases"]["confirmed"]["new"]
    # Overdue by owner adds up to the briefing's overdue figures.
    by_kind: dict[str, int] = {}
    for row in cockpit["overdue"]:
        by_kind[row["kind"]] = by_kind.get(row["kind"], 0) + row["n"]
    assert by_kind.get("screening", 0) == b.data["screening"]["overdue"] > 0
    assert by_kind.get("case_reports", 0) == b.data["cases"]["overdue"]["report"] == 1
    # The ratings are the briefing's risk map.
    ratings = {r["code"]: r["colour"] for r in cockpit["counties"] + cockpit["towns"]}
    assert ratings == {r["code"]: r["colour"] for r in b.data["risk"]}
    page = response.content.decode()
    assert 'id="to-briefing"' in page and "/briefing/" in page
    for name in shown:
        assert f'data-figure="{name}"' in page
    assert 'id="overdue"' in page


def test_city_cockpit_owners_are_the_counties_and_the_map_has_six(history, client, city_hq):
    with clock.frozen(cutoff_for(DAY0)):
        client.force_login(city_hq)
        response = client.get("/")
    cockpit = response.context["cockpit"]
    owners = {(r["kind"], r["owner"]): r["n"] for r in cockpit["overdue"]}
    assert owners[("screening", "越城区")] == 2  # both overdue tasks lie in Yuecheng
    assert owners[("case_reports", "越城区")] == 1
    areas = {a["name"] for a in cockpit["map"]["areas"]}
    assert areas == {"越城区", "柯桥区", "上虞区", "新昌县", "诸暨市", "嵊州市"}
    page = response.content.decode()
    # Without script the same colours are a table, each with its word and shape.
    assert 'id="county-colours"' in page and 'id="town-colours"' in page
    assert "vendor/maps/zhe4_jiang1_shao4_xing1.js" in page and "☐" not in page
    # Open without script; folded by the map script once the map is drawn.
    assert '<details class="fold" id="county-detail" open>' in page
    # The towns fold under a count of each colour, the worst first, adding up to all towns.
    counts = cockpit["town_counts"]
    order = list(COLOURS)
    assert [c["colour"] for c in counts] == sorted((c["colour"] for c in counts), key=order.index)
    assert {c["colour"]: c["n"] for c in counts} == {
        k: sum(1 for r in cockpit["towns"] if r["colour"] == k)
        for k in {r["colour"] for r in cockpit["towns"]}
    }
    folded = len(cockpit["towns"]) > 24
    assert ('id="town-detail" open' in page) is not folded
    yuecheng = next(r for r in cockpit["counties"] if r["code"] == YUECHENG)
    assert yuecheng["colour"] != "green"


def test_county_cockpit_owners_are_its_towns(history, client, make_user):
    hq = make_user("county_hq", YUECHENG)
    with clock.frozen(cutoff_for(DAY0)):
        client.force_login(hq)
        cockpit = client.get("/").context["cockpit"]
    owners = {r["owner"] for r in cockpit["overdue"] if r["kind"] == "screening"}
    assert owners == {"塔山街道", "府山街道"}
    assert all(r["code"].startswith(YUECHENG) for r in cockpit["counties"] + cockpit["towns"])


def test_cockpit_api_gives_the_same_figures(history, client, city_hq):
    from fangkong.accounts.models import ApiToken

    raw = ApiToken.new_raw()
    ApiToken.objects.create(
        user=city_hq, digest=ApiToken.hash(raw), expires_at=at(DAY0, 8) + dt.timedelta(days=30)
    )
    with clock.frozen(cutoff_for(DAY0)):
        body = client.get("/api/v1/cockpit/", HTTP_AUTHORIZATION=f"Bearer {raw}").json()
        client.force_login(city_hq)
        page = client.get("/").context["cockpit"]
    assert body["kind"] == "leader"
    assert {f["name"]: f["today"] for f in body["leader"]["figures"]} == {
        f["name"]: f["today"] for f in page["figures"]
    }
    assert sum(r["n"] for r in body["leader"]["overdue"]) == sum(r["n"] for r in page["overdue"])


def test_cockpit_counts_to_now_and_names_the_briefings_cut_off(
    history, client, make_user, add_case, node, auth
):
    """A suspected case reported after the cut-off is on the cockpit and not in the
    briefing: the briefing button says which hour the briefing counts to, page and API."""
    leader = make_user("county_hq", YUECHENG)
    b = stored_briefing(node(YUECHENG))
    later = cutoff_for(DAY0) + dt.timedelta(hours=3)
    with clock.frozen(later):
        add_case(later - dt.timedelta(hours=1), status="suspected")
        client.force_login(leader)
        response = client.get("/")
        body = client.get("/api/v1/cockpit/", **auth(leader)).json()
    cockpit = response.context["cockpit"]
    live = {f["name"]: f["today"] for f in cockpit["figures"]}
    assert live["suspected"] == b.data["change"]["suspected"]["today"] + 1
    assert cockpit["briefing_cutoff"] == b.cutoff_at
    local = dt.datetime.fromisoformat(body["leader"]["briefing_cutoff"])
    assert local == b.cutoff_at
    button = response.content.decode().split('id="to-briefing"', 1)[1].split("</a>", 1)[0]
    assert timezone.localtime(b.cutoff_at).strftime("%m-%d %H:%M") in button


def test_cockpit_without_a_briefing_names_no_cut_off(client, make_user, auth):
    leader = make_user("county_hq", YUECHENG)
    with clock.frozen(at(DAY0, 10)):
        client.force_login(leader)
        response = client.get("/")
        body = client.get("/api/v1/cockpit/", **auth(leader)).json()
    assert response.context["cockpit"]["briefing_cutoff"] is None
    assert body["leader"]["briefing_cutoff"] is None
    button = response.content.decode().split('id="to-briefing"', 1)[1].split("</a>", 1)[0]
    assert 'class="cutoff"' not in button


def test_town_cockpit_shows_its_villages_by_figures(history, client, make_user, make_person):
    """A town's leader sees each village of the town with its observations and its open
    and overdue visits; the villages' overdue visits add up to the town's."""
    from fangkong.core.querysets import system_actor
    from fangkong.geo.models import Division
    from fangkong.observation import actions as observation

    with clock.frozen(at(DAY0 - dt.timedelta(days=1), 9)):
        person = make_person("林秀英", GRID_A)
        observation.start_period(
            system_actor(), person, reason="close_contact", last_exposure=clock.today()
        )
    from fangkong.accounts.models import ApiToken

    leader = make_user("town_hq", TASHAN)
    raw = ApiToken.new_raw()
    ApiToken.objects.create(
        user=leader, digest=ApiToken.hash(raw), expires_at=at(DAY0, 8) + dt.timedelta(days=30)
    )
    client.force_login(leader)
    with clock.frozen(cutoff_for(DAY0)):
        response = client.get("/")
        body = client.get("/api/v1/cockpit/", HTTP_AUTHORIZATION=f"Bearer {raw}").json()
    cockpit = response.context["cockpit"]
    villages = {v["code"]: v for v in cockpit["villages"]}
    town = Division.objects.get(code=TASHAN)
    assert set(villages) == set(Division.objects.filter(parent=town).values_list("code", flat=True))
    huayuan = villages[HUAYUAN]
    assert (huayuan["observed"], huayuan["visits"], huayuan["overdue"]) == (1, 2, 1)
    town_overdue = sum(r["n"] for r in cockpit["overdue"] if r["kind"] == "screening")
    assert sum(v["overdue"] for v in villages.values()) == town_overdue
    page = response.content.decode()
    assert 'id="village-figures"' in page and "观察中 1" in page and "超期 1" in page
    assert body["leader"]["villages"] == cockpit["villages"]


def test_a_county_cockpit_lists_no_villages(history, client, make_user):
    client.force_login(make_user("county_hq", YUECHENG))
    with clock.frozen(cutoff_for(DAY0)):
        response = client.get("/")
    assert response.context["cockpit"]["villages"] == []
    assert 'id="village-figures"' not in response.content.decode()
