"""A town imports a pushed list on a phone-sized page; the address carries a grid key,
so the grid worker sees the new task on the phone without anyone moving it."""

import pytest

from tests.conftest import GRID_A, HUAYUAN, TASHAN
from tests.e2e.conftest import sign_in
from tests.idnumbers import rid
from tests.screening.conftest import make_source  # noqa: F401,F811 - fixture
from tests.screening.test_places import HEADERS4, table_bytes

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_town_import_lands_on_the_grid_workers_phone(
    live_server,
    browser,
    phone,
    make_user,
    make_source,  # noqa: F811
    tmp_path,
    settings,
):
    from fangkong.geo.gridkeys import import_grid_keys

    settings.SCREENING_UPLOAD_DIR = str(tmp_path / "uploads")
    keys = [{"村社区代码": HUAYUAN, "网格": "G01", "类型": "小区", "名称": "锦绣花园"}]
    assert import_grid_keys(keys).ok
    make_user("town_hq", TASHAN, username="town")
    make_user("grid_worker", GRID_A, username="gw")
    make_source("电信推送", code="3306")
    rows = [["孙老伯", rid("330602", "1941-03-09", 5), "13900001111", "塔山锦绣花园7幢302室"]]
    path = tmp_path / "电信推送.csv"
    path.write_bytes(table_bytes(HEADERS4, rows))

    town = browser.new_context(viewport={"width": 360, "height": 740}, locale="zh-CN").new_page()
    sign_in(town, live_server.url, "town")
    town.goto(f"{live_server.url}/screening/lists/")
    town.select_option("#id_source", label="电信推送")
    town.set_input_files("#id_file", str(path))
    town.click("form[enctype] button[type=submit]")
    town.wait_for_url("**/screening/lists/*/")
    town.reload()
    assert "孙老伯" in town.content()
    assert town.evaluate("document.documentElement.scrollWidth") <= 360
    town.context.close()

    sign_in(phone, live_server.url, "gw")
    phone.goto(f"{live_server.url}/screening/today/")
    assert phone.locator("ul.tasks li strong").all_inner_texts() == ["孙老伯"]
    assert phone.evaluate("document.documentElement.scrollWidth") <= 375
