"""The health-code page lists every red and yellow code (no cut at 100): each colour's
figure links to a list with exactly that many rows, paged, filterable."""

import datetime as dt
import re

from fangkong.healthcode.models import HealthCode
from tests.conftest import GRID_A
from tests.idnumbers import rid


def total(html: str) -> int:
    return int(re.search(r'data-total="(\d+)"', html).group(1))


def test_colour_counts_equal_the_lists_behind_them(client, make_user, make_person):
    codes = []
    for i in range(130):
        person = make_person(
            name=f"{'王李张刘陈'[i % 5]}{'伟芳娜敏静'[i // 5 % 5]}{i}",
            node_code=GRID_A,
            id_number=rid("330602", dt.date(1960, 1, 1) + dt.timedelta(days=97 * i), seq=300 + i),
        )
        colour = "red" if i < 105 else ("yellow" if i < 120 else "green")
        codes.append(
            HealthCode(person=person, colour=colour, since=dt.date(2020, 2, 1), path=person.path)
        )
    HealthCode.objects.bulk_create(codes)
    client.force_login(make_user("county_hq", "330602"))
    page = client.get("/healthcode/").content.decode()
    figures = dict(re.findall(r'href="\?status=(\w+)" data-count="(\d+)"', page))
    assert figures == {"red": "105", "yellow": "15"}
    assert total(page) == 120
    for colour, n in figures.items():
        assert total(client.get("/healthcode/", {"status": colour}).content.decode()) == int(n)
    last = client.get("/healthcode/", {"status": "red", "page": 3}).content.decode()
    assert "第 3 / 3 页" in last and last.count("/healthcode/persons/") == 5
    one = codes[42].person
    found = client.get("/healthcode/", {"tail": one.id_masked[-4:], "q": one.name}).content
    assert total(found.decode()) == 1 and one.name in found.decode()
