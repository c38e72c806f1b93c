"""A visit's decision of centralised observation carried out (#17): the town picks a
quarantine site of its area (its free beds shown) on the hand-over page or through the
API, the person is sent there (observation's 待入住, where the site assigns the room) and
the decision leaves the hand-over list. Another county's site, a decision of another
kind and a role that may not start observations are refused."""

import pytest
from django.urls import reverse

from fangkong.observation import actions as observation
from fangkong.observation.models import ObservationPeriod
from fangkong.screening import actions
from fangkong.screening.models import ScreeningTask
from tests.conftest import GRID_Z, TASHAN, YUECHENG
from tests.screening.test_tasks import VISIT

pytestmark = pytest.mark.django_db


def _site(system_user, node, code, name):
    site = observation.create_site(system_user, name=name, address="路1号", node=node(code))
    observation.add_rooms(system_user, site, ["101", "102"], 1)
    return site


@pytest.fixture
def sites(system_user, node):
    return _site(system_user, node, TASHAN, "塔山宾馆"), _site(
        system_user, node, GRID_Z[:6], "诸暨宾馆"
    )


@pytest.fixture
def decided(make_task, grid_worker):
    """A visit in GRID_A that decided on centralised observation."""
    task = make_task(name="钱芳")
    actions.record_visit(grid_worker, task, {**VISIT, "outcome": "central"})
    task.refresh_from_db()
    assert task.handover == "pending"
    return task


def test_the_town_sends_the_person_to_a_site_from_the_handover_page(
    client, make_user, decided, sites
):
    mine, theirs = sites
    town = make_user("town_hq", TASHAN)
    client.force_login(town)
    page = client.get(reverse("screening:handovers")).content.decode()
    assert "钱芳" in page and "塔山宾馆（空 2 床）" in page
    assert "诸暨宾馆" not in page  # another county's site is not offered
    url = reverse("screening:handover_site", args=[decided.pk])
    refused = client.post(url, {"site": theirs.pk}, follow=True).content.decode()
    assert "请选择您辖区内的集中隔离点" in refused
    assert not ObservationPeriod.objects.filter(person=decided.subject.person).exists()
    done = client.post(url, {"site": mine.pk}, follow=True).content.decode()
    assert "钱芳 已送往 塔山宾馆" in done
    period = ObservationPeriod.objects.get(person=decided.subject.person)
    assert period.sent_to == mine and period.is_open
    decided.refresh_from_db()
    assert decided.handover == "done"
    assert 'data-task="%d"' % decided.pk not in done  # gone from the list


def test_a_person_already_observed_at_home_is_sent_under_the_same_observation(
    make_user, decided, sites, system_user
):
    from fangkong.core import clock

    at_home = observation.start_period(
        system_user, decided.subject.person, reason="other", last_exposure=clock.today()
    )
    actions.send_to_site(make_user("town_hq", TASHAN), decided, sites[0])
    assert ObservationPeriod.objects.filter(person=decided.subject.person).count() == 1
    at_home.refresh_from_db()
    assert at_home.sent_to == sites[0]


def test_the_api_lists_the_decisions_and_sites_and_sends(client, make_user, auth, decided, sites):
    mine, theirs = sites
    town = auth(make_user("county_hq", YUECHENG))
    listed = client.get("/api/v1/screening/handovers", **town).json()
    assert listed["count"] == 1 and listed["items"][0]["id"] == decided.pk
    offered = client.get("/api/v1/screening/handovers/sites", **town).json()
    assert [(s["name"], s["free"]) for s in offered] == [("塔山宾馆", 2)]
    url = f"/api/v1/screening/tasks/{decided.pk}/handover/site"
    wrong = client.post(url, {"site_id": theirs.pk}, content_type="application/json", **town)
    assert wrong.status_code == 422 and "site" in wrong.content.decode()
    sent = client.post(url, {"site_id": mine.pk}, content_type="application/json", **town)
    assert sent.status_code == 200 and sent.json()["handover"] == "done"
    again = client.post(url, {"site_id": mine.pk}, content_type="application/json", **town)
    assert again.status_code == 422  # nothing awaits hand-over any more
    assert client.get("/api/v1/screening/handovers", **town).json()["count"] == 0


def test_only_a_centralised_decision_is_sent(make_task, grid_worker, make_user, sites):
    from django.core.exceptions import ValidationError

    task = make_task(name="孙强")
    actions.record_visit(grid_worker, task, {**VISIT, "outcome": "fever_clinic"})
    with pytest.raises(ValidationError):
        actions.send_to_site(make_user("town_hq", TASHAN), task, sites[0])
    assert ScreeningTask.objects.get(pk=task.pk).handover == "pending"


def test_a_grid_worker_is_told_who_sends_and_cannot_send(client, grid_worker, decided, sites):
    client.force_login(grid_worker)
    page = client.get(reverse("screening:handovers")).content.decode()
    assert "send-to-site" not in page and "由乡镇或县" in page
    url = reverse("screening:handover_site", args=[decided.pk])
    client.post(url, {"site": sites[0].pk})
    assert not ObservationPeriod.objects.filter(person=decided.subject.person).exists()
