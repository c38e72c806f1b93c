"""A quarantine site's day (#17): each figure equals the list its link opens (page and
API), an arrival is a stay that began today (not a move between rooms), and the site
receives the persons the county sends it (待入住) and gives them a room."""

import datetime as dt
import re

import pytest
from django.urls import reverse

from fangkong.core import clock
from fangkong.observation import actions
from fangkong.observation.models import Room
from tests.conftest import GRID_A, TASHAN
from tests.observation.conftest import at, cid

pytestmark = pytest.mark.django_db
DAY0 = dt.date(2020, 2, 10)
DAY1 = DAY0 + dt.timedelta(days=1)


def room(site, number):
    return Room.objects.get(site=site, number=number)


@pytest.fixture
def staff(site, make_user):
    user = make_user("quarantine_site", TASHAN)
    site.staff.add(user)
    return user


def figures(page: str, site) -> dict[str, tuple[int, str]]:
    """{figure: (count, link)} of the site's section of the home page."""
    section = page.split(f'id="site-{site.pk}"', 1)[1]
    found = re.findall(
        r'data-figure="(\w+)"><a href="([^"]+)">.*?<span class="n[^"]*">(\d+)</span>', section
    )
    return {name: (int(n), href.replace("&amp;", "&")) for name, href, n in found}


def listed(client, href: str) -> int:
    """The total a linked page shows: a line list's pager, or the site's free beds."""
    page = client.get(href).content.decode()
    if "#rooms" in href:
        return int(re.search(r'class="free-beds">.*?<strong>(\d+)</strong>', page).group(1))
    return int(re.search(r'data-total="(\d+)"', page).group(1))


@pytest.fixture
def day(site, start, system_user):
    """On DAY1: one resident since DAY0 moved to another room today (no arrival), one
    placed today (an arrival) with a fever, one due to leave today, one at home."""
    with clock.frozen(at(DAY0, 9)):
        moved = start("王秀英", last_exposure=DAY0, room=room(site, "101"))
    with clock.frozen(at(DAY1 - dt.timedelta(days=13), 9)):
        leaving = start("张伟", last_exposure=DAY1 - dt.timedelta(days=14), room=room(site, "201"))
    with clock.frozen(at(DAY1, 8)):
        actions.place(system_user, moved, "site", room=room(site, "102"))
        new = start("李娜", last_exposure=DAY1, room=room(site, "201"))
        actions.check_in(new, client_id=cid(), temperature="38.1")
        actions.check_in(new, client_id=cid(), temperature="38.4")
        home = start("刘洋", last_exposure=DAY1)
    return {"moved": moved, "new": new, "leaving": leaving, "home": home}


def test_a_move_between_rooms_of_the_site_is_no_arrival(day, site, staff):
    from fangkong.observation.linelists import line_list

    with clock.frozen(at(DAY1, 10)):
        arrived = line_list(staff, "open", site=site.pk, only="arrived")
        assert {p.person.name for p in arrived} == {"李娜"}


def test_every_figure_of_the_site_day_is_the_total_of_its_link(client, day, site, staff):
    client.force_login(staff)
    with clock.frozen(at(DAY1, 10)):
        shown = figures(client.get(reverse("home")).content.decode(), site)
        assert {k: n for k, (n, _href) in shown.items()} == {
            "residents": 3,
            "arrivals": 1,  # the move of 王秀英 from 101 to 102 is not counted
            "free": 1,  # 101, freed by the move (102 and both beds of 201 taken)
            "missing": 2,
            "fevers": 1,  # one person, two readings
            "leaving": 1,
        }
        for name, (n, href) in shown.items():
            assert listed(client, href) == n, (name, href)


def test_the_site_day_shows_a_fever_as_a_reading_and_names_the_rows_not_listed(
    client, day, site, staff, monkeypatch
):
    from fangkong.cockpit import front

    client.force_login(staff)
    with clock.frozen(at(DAY1, 10)):
        page = client.get(reverse("home")).content.decode()
        assert "38.4 °C" in page  # the day's highest reading, as a thermometer reads
        assert 'data-more="fevers"' not in page  # all listed: no link to more
        monkeypatch.setattr(front, "SHOWN", 0)
        page = client.get(reverse("home")).content.decode()
    assert "查看全部 1 名今日发热人员" in page and "查看全部 1 名到期待解除人员" in page


def test_the_api_line_lists_cut_by_only_give_the_figures(client, day, site, staff, auth):
    headers = auth(staff)
    with clock.frozen(at(DAY1, 10)):
        cockpit = client.get("/api/v1/cockpit/", **headers).json()
        assert cockpit["kind"] == "site"
        (mine,) = cockpit["sites"]
        for figure, only in (("arrivals", "arrived"), ("leaving", "leaving"), ("fevers", "fever")):
            items = client.get(
                f"/api/v1/observation/periods?list=open&site={site.pk}&only={only}", **headers
            ).json()["items"]
            assert len(items) == mine[figure], figure
        names = {
            p["person_name"]
            for p in client.get(
                f"/api/v1/observation/periods?list=open&site={site.pk}&only=arrived", **headers
            ).json()["items"]
        }
        assert names == {"李娜"}
        free = client.get(f"/api/v1/observation/sites/{site.pk}/rooms?free=true", **headers)
        assert sum(r["free"] for r in free.json()) == mine["free"] == 1
        bad = client.get("/api/v1/observation/periods?list=open&only=nobody", **headers)
        assert bad.status_code == 422


def test_the_line_list_page_offers_the_cuts_in_chinese(client, day, site, staff):
    client.force_login(staff)
    with clock.frozen(at(DAY1, 10)):
        page = client.get(
            reverse("observation:list", args=["open"]) + f"?site={site.pk}&only=leaving",
            HTTP_ACCEPT_LANGUAGE="zh-hans",
        ).content.decode()
    assert '<option value="leaving" selected>' in page
    assert "张伟" in page and "李娜" not in page
    assert "今日入住" in page and "今日发热" in page
    assert '<td data-label="原因">密切接触者</td>' in page  # the reason column is filled


# ---------------------------------------------------------------- admission (待入住)


@pytest.fixture
def sent(start, site, county_hq, make_person):
    """The county sends a person under home observation to the site; another person
    of the county stays at home (never at the site)."""
    with clock.frozen(at(DAY1, 8)):
        period = start("赵敏", last_exposure=DAY1)
        actions.send_to_site(county_hq, period, site)
        other = start("钱进", last_exposure=DAY1)
    return period, other


def test_the_site_sees_the_person_sent_to_it_and_no_one_else(client, sent, staff):
    period, other = sent
    client.force_login(staff)
    with clock.frozen(at(DAY1, 9)):
        assert client.get(reverse("people:detail", args=[period.person_id])).status_code == 200
        assert client.get(reverse("observation:period", args=[period.pk])).status_code == 200
        assert client.get(reverse("people:detail", args=[other.person_id])).status_code == 404
        page = client.get(reverse("home")).content.decode()
    assert "赵敏" in page and "钱进" not in page
    assert f'action="{reverse("observation:period_action", args=[period.pk, "admit"])}"' in page


def test_the_site_assigns_a_free_room_to_the_person_sent_to_it(client, sent, site, staff):
    period, _other = sent
    client.force_login(staff)
    with clock.frozen(at(DAY1, 10)):
        page = client.get(reverse("home")).content.decode()
        options = re.findall(rf'<select name="room" id="room-{period.pk}">(.*?)</select>', page)
        assert options and "101" in options[0]  # the free rooms are offered by number
        url = reverse("observation:period_action", args=[period.pk, "admit"])
        answer = client.post(url, {"room": room(site, "101").pk})
        assert answer.status_code == 302
        period.refresh_from_db()
        assert (period.room.number, period.sent_to_id) == ("101", None)
        shown = figures(client.get(reverse("home")).content.decode(), site)
    assert shown["arrivals"][0] == 1 and shown["residents"][0] == 1


def test_the_api_admits_into_a_free_room_of_that_site_only(
    client, sent, site, staff, auth, system_user
):
    period, _other = sent
    other_site = actions.create_site(
        system_user, name="另一隔离点", address="塔山路9号", node=site.node, doctor=None
    )
    actions.add_rooms(system_user, other_site, ["901"], 1)
    other_site.staff.add(staff)
    headers = auth(staff)
    with clock.frozen(at(DAY1, 10)):
        waiting = client.get(f"/api/v1/observation/sites/{site.pk}/awaiting", **headers).json()
        assert [p["id"] for p in waiting["items"]] == [period.pk] and waiting["count"] == 1
        wrong = client.post(
            f"/api/v1/observation/periods/{period.pk}/admit",
            {"room_id": room(other_site, "901").pk},
            content_type="application/json",
            **headers,
        )
        assert wrong.status_code == 422
        ok = client.post(
            f"/api/v1/observation/periods/{period.pk}/admit",
            {"room_id": room(site, "102").pk},
            content_type="application/json",
            **headers,
        )
        assert ok.status_code == 201
        waiting = client.get(f"/api/v1/observation/sites/{site.pk}/awaiting", **headers).json()
    assert waiting["count"] == 0


def test_the_county_sends_a_period_at_home_from_its_page(client, start, site, county_hq):
    with clock.frozen(at(DAY1, 8)):
        period = start("吴昊", last_exposure=DAY1)
        client.force_login(county_hq)
        url = reverse("observation:period_action", args=[period.pk, "send"])
        assert client.post(url, {"site": site.pk}).status_code == 302
    period.refresh_from_db()
    assert period.sent_to_id == site.pk and period.place_kind == "home"


def test_the_county_starts_an_observation_sent_to_a_site_through_the_api(
    client, site, county_hq, auth, make_person
):
    headers = auth(county_hq)
    person = make_person("孙丽", GRID_A)
    with clock.frozen(at(DAY1, 9)):
        made = client.post(
            "/api/v1/observation/periods",
            {
                "person_id": person.pk,
                "reason": "close_contact",
                "last_exposure": str(DAY1),
                "site_id": site.pk,
            },
            content_type="application/json",
            **headers,
        ).json()
    assert made["sent_to_id"] == site.pk and made["room_id"] is None


def test_a_site_worker_cannot_send_a_stranger_to_their_site(client, sent, staff, site, auth):
    _period, other = sent
    answer = client.post(
        f"/api/v1/observation/periods/{other.pk}/send",
        {"site_id": site.pk},
        content_type="application/json",
        **auth(staff),
    )
    assert answer.status_code == 404


# ---------------------------------------------------------------- notices


def test_site_staff_read_the_notices_about_their_persons_only(staff, start, site):
    from fangkong.notify.models import Notice

    with clock.frozen(at(DAY1, 9)):
        resident = start("周杰", last_exposure=DAY1, room=room(site, "201"))
        other = start("钱进", last_exposure=DAY1)  # of the county, never at the site

    def notice(key, **kw):
        return Notice.objects.create(kind="checkin_reminder", key=key, title="t", **kw)

    about_other = notice("a", recipient_person=other.person, path=other.path)
    about_resident = notice("c", recipient_person=resident.person, path=resident.path)
    to_me = notice("d", recipient_user=staff, path=staff.node.path)
    general = notice("e", path=staff.node.path)
    seen = set(Notice.objects.restrict(staff))
    assert about_other not in seen
    assert {about_resident, to_me, general} <= seen


def test_a_notice_on_a_visit_of_a_stranger_is_not_shown_to_site_staff(
    staff, start, site, make_person
):
    """A notice on a record about a person (here a door-to-door visit): the site's
    staff see it for their own persons only."""
    from fangkong.notify.models import Notice
    from fangkong.screening.models import ScreeningSubject, ScreeningTask

    with clock.frozen(at(DAY1, 9)):
        resident = start("周杰", last_exposure=DAY1, room=room(site, "201")).person
    stranger = make_person("钱进", GRID_A)
    notices = []
    for person in (resident, stranger):
        subject = ScreeningSubject.objects.create(
            person=person,
            name=person.name,
            node=person.node,
            path=person.path,
            placement="registry",
        )
        task = ScreeningTask.objects.create(
            subject=subject, node=person.node, path=person.path, due_at=at(DAY1, 18)
        )
        notices.append(
            Notice.objects.create(
                kind="visit_breach",
                key=f"v{person.pk}",
                title="t",
                path=person.path,
                subject="screening.screeningtask",
                subject_id=task.pk,
            )
        )
    assert [n in set(Notice.objects.restrict(staff)) for n in notices] == [True, False]


def test_a_sent_person_s_notices_reach_the_site(sent, staff):
    from fangkong.notify.models import Notice

    period, other = sent
    about_sent = Notice.objects.create(
        kind="checkin_reminder",
        key="s",
        title="t",
        recipient_person=period.person,
        path=period.path,
    )
    about_other = Notice.objects.create(
        kind="checkin_reminder", key="o", title="t", recipient_person=other.person, path=other.path
    )
    seen = set(Notice.objects.restrict(staff))
    assert about_sent in seen and about_other not in seen
