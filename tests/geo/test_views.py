from django.urls import reverse

from tests.conftest import GRID_A, HUAYUAN, TASHAN, YUECHENG, ZHUJI


def test_browser_starts_at_the_users_node_with_counts(client, make_user, make_person):
    make_person("甲", node_code=GRID_A)
    make_person("乙", node_code=GRID_A)
    client.force_login(make_user("town_hq", TASHAN))
    response = client.get(reverse("geo:browse"))
    assert response.context["node"].code == TASHAN
    rows = {r["node"].code: r["counts"] for r in response.context["rows"]}
    assert rows[HUAYUAN][0] == 2
    assert len(rows) == 11  # 塔山街道 has 11 communities
    assert response.context["totals"]["persons"] == 2


def test_browser_refuses_a_node_outside(client, make_user):
    client.force_login(make_user("county_hq", YUECHENG))
    assert client.get(reverse("geo:node", args=[ZHUJI])).status_code == 404
    assert client.get(reverse("geo:node", args=[TASHAN])).status_code == 200


def test_breadcrumbs_stop_at_the_users_node(client, make_user):
    client.force_login(make_user("county_hq", YUECHENG))
    response = client.get(reverse("geo:node", args=[GRID_A]))
    assert [c.code for c in response.context["crumbs"]] == [YUECHENG, TASHAN, HUAYUAN]
