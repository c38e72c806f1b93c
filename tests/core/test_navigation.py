import pytest
from django.urls import reverse

from fangkong.accounts.models import User
from fangkong.accounts.roles import Role
from fangkong.core import navigation
from fangkong.core.tables import label_tables
from tests.conftest import GRID_A


@pytest.mark.parametrize("role", Role.values)
def test_each_role_has_at_most_eight_top_entries_all_allowed(role):
    user = User(role=role)
    menu = navigation.menu_for(user)
    assert 1 <= len(menu.top) <= navigation.TOP_LIMIT
    for card in [*menu.top, *(c for g in menu.more for c in g.cards)]:
        assert user.may(card.model_label, card.action), card.url_name
    names = [c.url_name for c in menu.top] + [c.url_name for g in menu.more for c in g.cards]
    assert len(names) == len(set(names))


def test_every_top_entry_names_a_registered_card():
    registered = {c.url_name for c in navigation.home.registered()}
    for role, names in navigation.TOP.items():
        assert set(names) <= registered, role
        assert role in Role.values


def test_grid_worker_menu_leads_with_visits_and_has_no_school_reopening():
    menu = navigation.menu_for(User(role="grid_worker"))
    assert menu.top[0].url_name == "screening:today"
    names = {c.url_name for c in menu.top} | {c.url_name for g in menu.more for c in g.cards}
    assert "public:schools" not in names


def test_the_home_page_s_cards_lead_with_the_role_s_jobs(client, make_user):
    """A CDC officer's home led with the registry (人员 6,028) and met tracing ninth."""
    cdc = make_user("cdc", "3306")
    client.force_login(cdc)
    cards = [c["card"].url_name for c in client.get(reverse("home")).context["cards"]]
    jobs = [n for n in navigation.TOP["cdc"] if n in cards]
    assert cards[: len(jobs)] == jobs and cards[0] == "tracing:dashboard"
    assert set(cards) == {c.url_name for c in navigation.home.shown(cdc)}  # none lost


@pytest.mark.parametrize("role", ["supplies", "organisation"])
def test_supplies_and_organisation_see_no_resident_registry(client, make_user, role):
    user = make_user(role, "3306")
    assert not user.may("people.person", "view")
    client.force_login(user)
    assert client.get(reverse("people:list")).status_code in (403, 404)
    page = client.get(reverse("home")).content.decode()
    assert reverse("people:list") not in page


def test_menu_collapses_behind_a_button_without_javascript(client, make_user):
    client.force_login(make_user("city_hq", "3306"))
    page = client.get(reverse("home")).content.decode()
    assert 'id="menu-toggle"' in page and 'for="menu-toggle"' in page
    assert '<details class="more">' in page
    assert page.count('<li><a href="') >= 20  # every allowed page is reachable


def test_tables_get_their_headers_as_cell_labels():
    html = (
        '<table class="x"><thead><tr><th>姓名</th><th colspan="2">地址 &amp; 电话</th>'
        "<th>状态</th></tr></thead><tbody><tr><td>王秀英</td><td>a</td><td>b</td>"
        '<td data-label="keep">c</td></tr><tr><td colspan="3">x</td><td>y</td></tr></tbody></table>'
    )
    out = label_tables(html)
    assert 'class="x responsive"' in out
    assert '<td data-label="姓名">王秀英' in out
    assert (
        '<td data-label="地址 &amp; 电话">a' in out and '<td data-label="地址 &amp; 电话">b' in out
    )
    assert 'data-label="keep"' in out and 'data-label="状态">c' not in out
    assert '<td colspan="3" data-label="姓名">x</td><td data-label="状态">y' in out


def test_a_cell_across_the_whole_row_has_no_column_label():
    html = (
        "<table><thead><tr><th>姓名</th><th>状态</th></tr></thead>"
        '<tbody><tr><td colspan="2">无。</td></tr></tbody></table>'
    )
    assert '<td colspan="2" data-label="">无。' in label_tables(html)


def test_tables_without_header_or_opted_out_are_left_alone():
    plain = "<table><tr><td>a</td></tr></table>"
    assert label_tables(plain) == plain
    opted = '<table class="no-cards"><thead><tr><th>h</th></tr></thead><tr><td>a</td></tr></table>'
    assert label_tables(opted) == opted


def test_pages_come_out_with_labelled_tables(client, make_user, make_person):
    client.force_login(make_user("grid_worker", GRID_A))
    make_person("王秀英", node_code=GRID_A)
    page = client.get(reverse("people:list")).content.decode()
    assert "王秀英" in page and "data-label=" in page


@pytest.mark.parametrize(
    ("path", "status", "words"),
    [("/no-such-page/", 404, "页面不存在"), ("/audit/", 403, "无权")],
)
def test_error_pages_are_in_chinese(client, make_user, path, status, words):
    client.force_login(make_user("grid_worker", GRID_A))
    response = client.get(path, HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert response.status_code == status
    assert words in response.content.decode()
