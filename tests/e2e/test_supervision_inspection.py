"""An inspector records an unannounced inspection on a phone: checklist answers, a
finding with a photo, recording; only then does the inspected community see it."""

import io

import pytest
from PIL import Image

from tests import kit
from tests.conftest import HUAYUAN, YUECHENG
from tests.e2e.conftest import sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_inspector_records_an_unannounced_inspection_on_a_phone(
    live_server, browser, make_user, node, settings, tmp_path
):
    from fangkong.supervision.models import Inspection

    settings.VAR_DIR = tmp_path
    inspector = make_user("discipline", YUECHENG, username="inspector")
    make_user("village_staff", HUAYUAN, username="staff")
    insp = kit.scheduled_inspection(
        inspector,
        YUECHENG,
        HUAYUAN,
        "unannounced",
        days=7,
        topics=("checkpoints",),
        title="暗访督查",
        name="一组",
    )
    url = f"{live_server.url}/supervision/inspections/{insp.pk}/"

    staff = browser.new_context(viewport={"width": 375, "height": 740}, locale="zh-CN").new_page()
    sign_in(staff, live_server.url, "staff")
    assert staff.goto(url).status == 404

    page = browser.new_context(viewport={"width": 375, "height": 740}, locale="zh-CN").new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    sign_in(page, live_server.url, "inspector")
    page.goto(url)
    page.select_option("select[name=o-checkpoints-0]", "fail")
    page.fill("input[name=n-checkpoints-0]", "夜间无人值守")
    page.click("button[name=results]")
    page.wait_for_selector(
        "select[name=o-checkpoints-0] >> option[value=fail][selected]", state="attached"
    )
    page.fill("#id_description", "卡口夜间空岗")
    page.select_option("#id_severity", "serious")
    buf = io.BytesIO()
    Image.new("RGB", (1200, 900), (90, 120, 200)).save(buf, format="PNG")
    page.set_input_files(
        "#id_photo", {"name": "evidence.png", "mimeType": "image/png", "buffer": buf.getvalue()}
    )
    page.click("button[name=finding]")
    # The thumbnail loads lazily (it may sit below the fold on a phone): check that it is
    # on the page and that its address serves the re-encoded JPEG to the inspector.
    src = page.wait_for_selector("img[alt]", state="attached").get_attribute("src")
    served = page.request.get(f"{live_server.url}{src}")
    assert served.status == 200 and served.headers["content-type"] == "image/jpeg"
    page.fill("#id_summary", "暗访发现一处空岗")
    page.click("button[name=record]")
    page.wait_for_selector("#id_owner_node_code")
    insp.refresh_from_db()
    assert insp.recorded_at is not None and insp.findings.get().photos.count() == 1
    assert errors == []

    assert staff.goto(url).status == 200
    assert staff.locator("text=卡口夜间空岗").count() == 1
    assert Inspection.objects.restrict(inspector).count() == 1
