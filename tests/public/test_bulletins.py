import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from fangkong.core import clock, private_values
from fangkong.people.models import Person
from fangkong.public import actions, drafting
from fangkong.public.models import Bulletin, PublishedBulletin
from tests.conftest import GRID_A, GRID_C, GRID_Z
from tests.idnumbers import rid
from tests.public.conftest import DAY0, at

pytestmark = pytest.mark.django_db

FIGURES = [{"code": "330602", "name": "越城区", "new": 2, "total": 5}]


def test_draft_from_entered_figures_then_publish_copies_to_public_table(county_hq, node):
    with clock.frozen(at(DAY0, 20)):
        b = actions.draft_bulletin(county_hq, node("330602"), DAY0, FIGURES)
        assert b.status == "draft" and "新增确诊病例2例" in b.text, b.text
        copy = actions.publish_bulletin(county_hq, b)
    b.refresh_from_db()
    assert b.status == "published" and copy.title == b.title and copy.node_code == "330602"
    with pytest.raises(ValidationError):
        actions.edit_bulletin(county_hq, b, "x", "y")


def test_draft_from_cases_by_district_with_coarse_places(
    city_hq, node, make_person, confirmed_case
):
    day = DAY0
    a = make_person("李明", node_code=GRID_A)
    c = make_person("周杰", node_code=GRID_C)
    z = make_person("吴斌", node_code=GRID_Z)
    confirmed_case(a, at(day, 9))
    confirmed_case(c, at(day - dt.timedelta(days=1), 9))
    confirmed_case(z, at(day, 11))
    with clock.frozen(at(day, 20)):
        b = actions.draft_bulletin(city_hq, node("3306"), day)
    by = {f["code"]: f for f in b.figures}
    assert by["330602"] == {"code": "330602", "name": by["330602"]["name"], "new": 1, "total": 2}
    assert by["330681"]["new"] == 1 and by["330681"]["total"] == 1
    assert sum(f["total"] for f in b.figures) == 3
    # Places are town + community names, no person, no address.
    assert len(b.places) == 2 and all("李明" not in p and "网格" not in p for p in b.places)


@pytest.mark.parametrize(
    "extra",
    [
        "患者身份证号{id}",
        "联系电话{phone}",
        "联系电话 +86 139-1234-5678",
        "身份证110101199003074578",
    ],
)
def test_bulletin_with_personal_identifier_is_refused(county_hq, node, make_person, extra):
    make_person(
        "孙丽", node_code=GRID_A, id_number=rid("330602", "1985-04-01"), phone="13912345678"
    )
    text = "今日新增1例。" + extra.format(id=rid("330602", "1985-04-01"), phone="13912345678")
    with clock.frozen(at(DAY0, 20)), pytest.raises(ValidationError) as exc:
        actions.draft_bulletin(county_hq, node("330602"), DAY0, FIGURES, text=text)
    assert "personal data" in str(exc.value)
    assert not Bulletin.objects.exists()


def test_name_of_a_person_of_a_mentioned_place_is_refused(county_hq, node, make_person):
    make_person("钱多多", node_code=GRID_A)
    village = node("330602001004").name
    with clock.frozen(at(DAY0, 20)):
        b = actions.draft_bulletin(county_hq, node("330602"), DAY0, FIGURES)
        with pytest.raises(ValidationError) as exc:
            actions.edit_bulletin(county_hq, b, b.title, f"{village}居民钱多多确诊。")
    assert "钱多多" in str(exc.value)


def test_published_bulletin_never_leaks_registry_data(city_hq, node, make_person, confirmed_case):
    """Scan the published text for ID-, phone- and name-shaped values of the registry."""
    people = [
        make_person(
            name,
            node_code=code,
            id_number=rid("330602", f"19{70 + i}-03-0{i + 1}", 100 + i),
            phone=f"1391234{5670 + i}",
        )
        for i, (name, code) in enumerate(
            [("冯小刚", GRID_A), ("陈晓燕", GRID_C), ("林志强", GRID_Z)]
        )
    ]
    for i, p in enumerate(people):
        confirmed_case(p, at(DAY0, 8 + i))
    with clock.frozen(at(DAY0, 20)):
        b = actions.draft_bulletin(city_hq, node("3306"), DAY0)
        actions.publish_bulletin(city_hq, b)
    copy = PublishedBulletin.objects.get()
    published = f"{copy.title}\n{copy.text}\n{copy.places}\n{copy.figures}"
    assert (
        private_values.id_shaped(published) == [] and private_values.phone_shaped(published) == []
    )
    names = set(Person.objects.values_list("name", flat=True))
    assert private_values.names_in(published, names) == []
    for p in people:
        assert p.reveal("id_number") not in published and p.reveal("phone") not in published
    assert drafting.personal_data_in(published, node("3306")) == []


def test_public_page_reads_only_the_published_table_and_is_cached(client, county_hq, node):
    with clock.frozen(at(DAY0, 20)):
        b = actions.draft_bulletin(county_hq, node("330602"), DAY0, FIGURES)
        actions.publish_bulletin(county_hq, b)
    PublishedBulletin.objects.filter(pk__gt=0).update(node_code="3306")
    actions.drop_public_cache()
    with CaptureQueriesContext(connection) as first:
        r = client.get(reverse("public:home"))
    assert r.status_code == 200 and b.title in r.content.decode()
    tables = " ".join(q["sql"] for q in first.captured_queries)
    assert first.captured_queries and "public_publishedbulletin" in tables
    assert "people_person" not in tables and 'public_bulletin"' not in tables
    with CaptureQueriesContext(connection) as second:
        assert client.get(reverse("public:home")).status_code == 200
    assert len(second.captured_queries) == 0
    assert "sessionid" not in r.cookies and "csrftoken" not in r.cookies


def test_publishing_drops_the_cached_page(client, city_hq, node):
    assert "尚未发布" in client.get(reverse("public:home")).content.decode()
    with clock.frozen(at(DAY0, 20)):
        b = actions.draft_bulletin(city_hq, node("3306"), DAY0, FIGURES)
        actions.publish_bulletin(city_hq, b)
        with pytest.raises(ValidationError):
            actions.publish_bulletin(city_hq, b)
    page = client.get(reverse("public:home")).content.decode()
    assert b.title in page
    hist = client.get(reverse("public:history")).content.decode()
    assert "echarts.min.js" in hist and DAY0.isoformat() in hist
    assert b.title in client.get(reverse("public:day", args=[DAY0.isoformat()])).content.decode()


def test_staff_pages_draft_and_publish_outsider_refused(login, county_hq, zhuji_hq, node):
    c = login(county_hq)
    with clock.frozen(at(DAY0, 20)):
        r = c.post(
            reverse("public:bulletins"),
            {"day": DAY0.isoformat(), "node_code": "330602", "figures": "330602,2,5"},
        )
        assert r.status_code == 302, r.content.decode()[:3000]
        b = Bulletin.objects.get()
        assert (
            c.post(
                reverse("public:bulletin", args=[b.pk]),
                {"publish": "1", "title": b.title, "text": b.text},
            ).status_code
            == 302
        )
    b.refresh_from_db()
    assert b.status == "published"
    assert b.title in c.get(reverse("public:bulletins")).content.decode()
    other = login(zhuji_hq)
    assert other.get(reverse("public:bulletin", args=[b.pk])).status_code == 404
    assert b.title not in other.get(reverse("public:bulletins")).content.decode()
    r = other.post(
        reverse("public:bulletins"),
        {"day": DAY0.isoformat(), "node_code": "330602", "figures": "330602,1,1"},
    )
    assert r.status_code == 200 and Bulletin.objects.count() == 1


def test_village_staff_may_not_publish(login, village_staff, county_hq, node):
    with clock.frozen(at(DAY0, 20)):
        b = actions.draft_bulletin(county_hq, node("330602"), DAY0, FIGURES)
    r = login(village_staff).post(reverse("public:bulletin", args=[b.pk]), {"publish": "1"})
    assert r.status_code == 404  # outside: the county bulletin lies above the village
