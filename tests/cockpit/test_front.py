"""The front line's cockpits: a grid worker lands on their visits and missed check-ins,
with a call button that reveals the phone through the audited reveal; a clinician lands
on the clocks of their cases."""

import datetime as dt

import pytest
from auditlog.models import LogEntry

from fangkong.core import clock
from fangkong.core.querysets import system_actor
from tests.cockpit.conftest import DAY0, at
from tests.conftest import GRID_A, GRID_Z, YUECHENG

pytestmark = pytest.mark.django_db


@pytest.fixture
def missed(grid_worker, make_person):
    """A person under home observation in GRID_A who missed the morning check-in."""
    from fangkong.observation import actions

    system = system_actor()
    with clock.frozen(at(DAY0, 7)):
        person = make_person("赵晓燕", GRID_A, phone="13905751234")
        actions.start_period(system, person, reason="close_contact", last_exposure=DAY0)
    with clock.frozen(at(DAY0, 12, 30)):
        assert actions.sweep_missed() == 1
    return person


def test_grid_worker_lands_on_their_visits_and_missed_checkins(
    client, grid_worker, add_task, missed
):
    with clock.frozen(at(DAY0, 13)):
        mine = [add_task(at(DAY0, 10), name="陈明"), add_task(at(DAY0, 18), name="周丽")]
        add_task(at(DAY0, 10), code=GRID_Z, name="吴强")  # another county's grid
        client.force_login(grid_worker)
        response = client.get("/")
    page = response.content.decode()
    assert [t.pk for t in response.context["visits"]["rows"]] == [t.pk for t in mine]
    assert response.context["visits"]["total"] == 2
    assert response.context["visits"]["overdue"] == 1
    assert "陈明" in page and "周丽" in page and "吴强" not in page
    assert 'id="missed-total">1<' in page and "赵晓燕" in page
    # the masked number is shown; the full one only after the call button
    assert missed.phone_masked in page and "13905751234" not in page


def test_call_button_reveals_the_phone_through_the_audited_reveal(client, grid_worker, missed):
    client.force_login(grid_worker)
    before = LogEntry.objects.filter(changes_text="reveal:phone").count()
    response = client.post(f"/cockpit/call/{missed.pk}/", HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert 'href="tel:13905751234"' in response.content.decode()
    assert "no-store" in response["Cache-Control"] or "no-cache" in response["Cache-Control"]
    entry = LogEntry.objects.filter(changes_text="reveal:phone").latest("pk")
    assert LogEntry.objects.filter(changes_text="reveal:phone").count() == before + 1
    assert entry.actor == grid_worker and entry.object_pk == str(missed.pk)


def test_a_missed_checkin_without_a_phone_says_so(client, grid_worker, make_person):
    from fangkong.observation import actions

    system = system_actor()
    with clock.frozen(at(DAY0, 7)):
        person = make_person("钱桂英", GRID_A)
        actions.start_period(system, person, reason="close_contact", last_exposure=DAY0)
    with clock.frozen(at(DAY0, 12, 30)):
        actions.sweep_missed()
        client.force_login(grid_worker)
        page = client.get("/").content.decode()
    row = page[page.index("钱桂英") :].split("</li>")[0]
    assert "no-phone" in row and "call-button" not in row


def test_call_is_refused_outside_the_workers_area(client, make_user, missed):
    other = make_user("grid_worker", GRID_Z)
    client.force_login(other)
    assert client.post(f"/cockpit/call/{missed.pk}/").status_code == 404
    assert client.get(f"/cockpit/call/{missed.pk}/").status_code == 405


def test_clinician_lands_on_the_clocks_of_their_cases(client, make_user, add_case):
    doctor = make_user("medical", YUECHENG)
    with clock.frozen(at(DAY0, 9)):
        late = add_case(at(DAY0, 6), report_due=at(DAY0, 8))
        soon = add_case(at(DAY0, 8), report_due=at(DAY0, 10))
        add_case(at(DAY0, 8), node_code=GRID_Z, report_due=at(DAY0, 8))  # seen at Yuecheng too
        client.force_login(doctor)
        response = client.get("/")
    clocks = response.context["clocks"]
    rows = [(r["case"].pk, r["kind"], r["state"]) for r in clocks["rows"]]
    assert rows[0][2] == "overdue"
    assert (late.pk, "report", "overdue") in rows and (soon.pk, "report", "running") in rows
    page = response.content.decode()
    assert 'id="clocks-overdue"' in page and late.number in page


def test_clinician_sees_how_many_clocks_are_not_on_the_first_screen(client, make_user, add_case):
    doctor = make_user("medical", YUECHENG)
    with clock.frozen(at(DAY0, 9)):
        for hour in range(10):
            add_case(at(DAY0, 6), report_due=at(DAY0, 7) + dt.timedelta(minutes=hour))
        client.force_login(doctor)
        response = client.get("/", HTTP_ACCEPT_LANGUAGE="zh-hans")
    clocks = response.context["clocks"]
    total = clocks["overdue"] + clocks["running"]
    assert clocks["total"] == total > len(clocks["rows"])
    page = response.content.decode()
    assert 'id="clocks-all"' in page and f"全部 {total} 个时限" in page


def test_grid_cockpit_api(client, grid_worker, add_task, missed):
    from fangkong.accounts.models import ApiToken

    raw = ApiToken.new_raw()
    ApiToken.objects.create(
        user=grid_worker, digest=ApiToken.hash(raw), expires_at=at(DAY0, 8) + dt.timedelta(days=30)
    )
    with clock.frozen(at(DAY0, 13)):
        add_task(at(DAY0, 10), name="陈明")
        body = client.get("/api/v1/cockpit/", HTTP_AUTHORIZATION=f"Bearer {raw}").json()
    assert body["kind"] == "grid"
    assert [v["name"] for v in body["grid"]["visits"]] == ["陈明"]
    assert body["grid"]["missed"][0]["name"] == "赵晓燕"
    assert body["grid"]["missed"][0]["can_call"] is True
    assert "1234" in body["grid"]["missed"][0]["phone_masked"]
