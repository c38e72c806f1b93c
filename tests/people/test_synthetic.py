import datetime as dt

from fangkong.people import identity
from fangkong.people.synthetic import Village, county_code_at, population


def test_generated_ids_are_valid_under_r21_and_half_of_elderly_fail_stdnum():
    from stdnum.cn import ric

    villages = [
        Village(1, "330603001001", "柯桥社区", "柯桥街道", "330603", "柯桥区", [11, 12]),
        Village(2, "330604001001", "百官村", "百官街道", "330604", "上虞区", [21]),
    ]
    rows = list(population(villages, 2000, seed=7, today=dt.date(2026, 11, 29)))
    ids = [r["id_number"] for r in rows if r["id_number"]]
    assert len(rows) == 2000
    assert all(identity.is_valid_resident_id(i) for i in ids)
    elderly = [i for i in ids if int(i[6:10]) < 1983]
    assert elderly, "the synthetic population has elderly residents"
    refused = sum(not ric.is_valid(i) for i in elderly)
    assert refused > len(elderly) * 0.3


def test_population_is_deterministic_by_seed():
    villages = [Village(1, "330602001001", "花园社区", "塔山街道", "330602", "越城区", [5])]
    a = list(population(villages, 50, seed=1, today=dt.date(2026, 1, 1)))
    b = list(population(villages, 50, seed=1, today=dt.date(2026, 1, 1)))
    c = list(population(villages, 50, seed=2, today=dt.date(2026, 1, 1)))
    assert a == b and a != c
    assert all("绍兴市越城区塔山街道花园社区" in r["address"] for r in a)


def test_county_codes_follow_history():
    assert county_code_at("330603", 1990) == "330621"
    assert county_code_at("330604", 1990) == "330622"
    assert county_code_at("330604", 2000) == "330682"
    assert county_code_at("330604", 2020) == "330604"
