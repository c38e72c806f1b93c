from pathlib import Path

import pytest
from django.core.management import call_command

from fangkong.geo.loaders import grid_code, import_grids, load_divisions, read_csv
from fangkong.geo.models import Division


def test_the_real_shaoxing_tree_is_loaded(db):
    assert Division.objects.filter(level="city").count() == 1
    assert Division.objects.filter(level="county").count() == 6
    assert Division.objects.filter(level="town").count() == 103
    assert Division.objects.filter(level="village").count() == 2168
    village = Division.objects.get(code="330602001004")
    assert village.path == "3306/330602/330602001/330602001004/"
    assert [a.code for a in village.ancestors()] == ["3306", "330602", "330602001"]


def test_reloading_is_idempotent_and_reports_rejections(db, tmp_path):
    path = tmp_path / "d.csv"
    path.write_text(
        "level,code,name,parent_code\n"
        "county,330602,越城区,3306\n"
        "town,33060299,坏代码,330602\n"
        "village,330699001001,孤儿村,330699001\n"
        "hamlet,330602001999,某处,330602001\n",
        encoding="utf-8",
    )
    report = load_divisions(read_csv(path))
    assert (report.created, report.updated) == (0, 0)
    reasons = dict(report.rejected)
    assert set(reasons) == {3, 4, 5}
    assert "code" in reasons[3] and "parent_code" in reasons[4] and "level" in reasons[5]


def test_gbk_file_is_read(db, tmp_path):
    path = tmp_path / "gbk.csv"
    path.write_bytes(
        "level,code,name,parent_code\ntown,330602001,塔山街道新名,330602\n".encode("gbk")
    )
    report = load_divisions(read_csv(path))
    assert report.updated == 1
    assert Division.objects.get(code="330602001").name == "塔山街道新名"


def test_grid_import_normalises_codes_and_rejects_bad_rows(db):
    rows = [
        {"village_code": "330602001008", "grid_code": "G7", "name": "七网格", "households": "150"},
        {"village_code": "330602001008", "grid_code": "8", "name": "八网格", "households": ""},
        {"village_code": "999999999999", "grid_code": "1", "name": "x", "households": "1"},
        {"village_code": "330602001008", "grid_code": "abc", "name": "x", "households": "1"},
        {"village_code": "330602001008", "grid_code": "9", "name": "x", "households": "many"},
    ]
    report = import_grids(rows)
    assert report.created == 2
    assert [r[0] for r in report.rejected] == [4, 5, 6]
    grid = Division.objects.get(code="330602001008G07")
    assert grid.level == "grid" and grid.households == 150
    assert grid.path.endswith("/330602001008/330602001008G07/")
    assert grid_code("330602001008", "03") == "330602001008G03"


def test_load_divisions_command_loads_a_province_file(db, tmp_path, capsys):
    src = (
        Path(__file__).resolve().parents[2] / "fangkong" / "geo" / "data" / "divisions-shaoxing.csv"
    )
    lines = src.read_text(encoding="utf-8").splitlines()
    path = tmp_path / "part.csv"
    path.write_text(
        "\n".join([lines[0], "city,3301,杭州市,33", "county,330102,上城区,3301"]) + "\n"
    )
    call_command("load_divisions", str(path))
    assert Division.objects.get(code="330102").path == "3301/330102/"
    assert "2 created" in capsys.readouterr().out


def test_missing_file_is_a_clear_error(db):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="no such file"):
        call_command("load_divisions", "/nonexistent.csv")
