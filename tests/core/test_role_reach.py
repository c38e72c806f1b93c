"""Roles no broader than the work (#17, docs/roles.md): a grid worker's and a village
worker's menus hold only pages they act on; where a role has no business at all, the
page and the API refuse it."""

import re

import pytest
from django.urls import reverse

from fangkong.accounts.models import User
from fangkong.core import navigation
from tests.conftest import GRID_A, HUAYUAN

pytestmark = pytest.mark.django_db


def _menu_names(role: str) -> set[str]:
    menu = navigation.menu_for(User(role=role))
    return {c.url_name for c in menu.top} | {c.url_name for g in menu.more for c in g.cards}


GRID_NOT_WORK = {
    "geo:browse",
    "riskareas:list",
    "tracing:dashboard",
    "command:dashboard",
    "command:reports",
    "mobilisation:overview",
    "public:bulletins",
    "public:questions",
    "public:applications",
    "public:schools",
    "selfservice:appeals",
    "screening:lists",
    "briefing:today",
}
VILLAGE_NOT_WORK = {
    "geo:browse",
    "riskareas:list",
    "tracing:dashboard",
    "briefing:today",
    "public:bulletins",
}


def test_grid_worker_menu_holds_its_work_only():
    names = _menu_names("grid_worker")
    assert not names & GRID_NOT_WORK, names & GRID_NOT_WORK
    for work in ("screening:today", "observation:tasks", "people:list", "command:inbox"):
        assert work in names
    # the grid answers the hand-over requests placed at it, keeps gatherings and gates
    assert {"exchange:requests", "public:gatherings", "tracing:venues"} <= names


def test_village_staff_menu_holds_its_work_only():
    names = _menu_names("village_staff")
    assert not names & VILLAGE_NOT_WORK, names & VILLAGE_NOT_WORK
    for work in ("screening:today", "command:reports", "public:questions", "selfservice:appeals"):
        assert work in names


@pytest.mark.parametrize(("role", "code"), [("grid_worker", GRID_A), ("village_staff", HUAYUAN)])
def test_home_and_header_link_no_page_outside_the_work(client, make_user, role, code):
    client.force_login(make_user(role, code))
    page = client.get(reverse("home")).content.decode()
    hidden = GRID_NOT_WORK if role == "grid_worker" else VILLAGE_NOT_WORK
    hrefs = set(re.findall(r'href="([^"?#]+)"', page))
    for name in hidden:
        assert reverse(name) not in hrefs, name
    assert reverse("tokens") not in hrefs  # no program of theirs calls the API


@pytest.mark.parametrize(
    "path",
    [
        "/public/staff/bulletins/",
        "/public/staff/questions/",
        "/public/staff/applications/",
        "/selfservice/appeals/",
        "/command/reports/",
        "/screening/lists/",
        "/screening/aliases/",
        "/screening/grid-keys/",
    ],
)
def test_grid_worker_is_refused_pages_outside_its_work(client, make_user, path):
    client.force_login(make_user("grid_worker", GRID_A))
    assert client.get(path).status_code == 403


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/public/bulletins",
        "/api/v1/public/questions",
        "/api/v1/public/applications",
        "/api/v1/command/report-templates",
        "/api/v1/selfservice/appeals",
    ],
)
def test_grid_worker_is_refused_the_same_in_the_api(client, make_user, auth, path):
    headers = auth(make_user("grid_worker", GRID_A))
    assert client.get(path, **headers).status_code == 403


def _screening_links(client, user) -> set[str]:
    client.force_login(user)
    page = client.get(reverse("screening:today")).content.decode()
    nav = re.search(r'<nav class="screening-nav".*?</nav>', page, re.S)
    assert nav
    return set(re.findall(r'href="([^"]+)"', nav.group(0)))


def test_screening_links_of_a_grid_worker_are_its_own(client, make_user):
    links = _screening_links(client, make_user("grid_worker", GRID_A))
    assert reverse("screening:today") in links and reverse("screening:progress") in links
    for town_work in ("lists", "aliases", "grid_keys", "exceptions", "village_tasks"):
        assert reverse(f"screening:{town_work}") not in links, town_work


def test_screening_links_of_a_village_leave_places_to_the_town(client, make_user):
    links = _screening_links(client, make_user("village_staff", HUAYUAN))
    assert reverse("screening:village_tasks") in links
    assert reverse("screening:aliases") not in links
    assert reverse("screening:grid_keys") not in links


@pytest.mark.parametrize("role", ["grid_worker", "village_staff", "county_hq", "quarantine_site"])
def test_home_cards_and_menu_are_one_list(role):
    """One place (`core.home.shown`) trims both: the home page's cards are the menu's."""
    from fangkong.core import home

    user = User(role=role)  # bound to no node: the cards' counts find nothing
    assert {c["card"].url_name for c in home.cards_for(user)} == _menu_names(role)
