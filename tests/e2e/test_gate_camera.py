"""The gate keeper points the phone's camera at a resident's health code and the verdict
appears without typing: Chromium's fake camera plays a video of the resident's QR code
(a Y4M file made from a screenshot of the code on the resident's own page), the page decodes
it (BarcodeDetector where the browser has one, else jsQR) and sends the scan."""

import io

import pytest
from PIL import Image

from tests.conftest import GRID_A, YUECHENG
from tests.e2e.conftest import ARGS, CHROMIUM, sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

WIDTH, HEIGHT = 640, 480


def qr_video(shot: bytes, path) -> None:
    """A few frames of a camera looking at the resident's screen (`shot`, a PNG of the
    code as their page shows it), as YUV4MPEG2 (4:2:0), the format Chromium's fake
    capture device reads. The code sits on a grey background, a little off centre, as a
    phone held at a gate sees it."""
    code = Image.open(io.BytesIO(shot)).convert("L")
    code.thumbnail((HEIGHT - 60, HEIGHT - 60))  # the whole code in the frame
    frame = Image.new("L", (WIDTH, HEIGHT), 150)
    frame.paste(code, ((WIDTH - code.width) // 2 + 20, (HEIGHT - code.height) // 2 - 10))
    luma = frame.tobytes()
    chroma = bytes([128]) * ((WIDTH // 2) * (HEIGHT // 2))
    with open(path, "wb") as out:
        out.write(f"YUV4MPEG2 W{WIDTH} H{HEIGHT} F10:1 Ip A1:1 C420jpeg\n".encode())
        for _ in range(10):
            out.write(b"FRAME\n" + luma + chroma + chroma)


@pytest.fixture
def camera_browser(browser, tmp_path):
    """A second Chromium whose camera plays the file written to `tmp_path/camera.y4m`
    (the file must exist before the browser opens the camera, not before it starts)."""
    video = tmp_path / "camera.y4m"
    video.write_bytes(b"")
    camera = browser.browser_type.launch(
        executable_path=CHROMIUM,
        headless=True,
        args=[
            *ARGS,
            "--use-fake-device-for-media-stream",
            "--use-fake-ui-for-media-stream",
            f"--use-file-for-fake-video-capture={video}",
        ],
    )
    yield camera, video
    camera.close()


def test_the_camera_reads_the_code_and_a_red_code_is_turned_away(
    live_server, camera_browser, make_user, make_person, seeded_rules
):
    from fangkong.healthcode import actions as codes
    from fangkong.healthcode.tokens import personal_token
    from fangkong.tracing import venues
    from fangkong.tracing.models import Scan

    camera, video = camera_browser
    keeper = make_user("grid_worker", GRID_A, username="keeper")
    gate = venues.create_venue(
        keeper, {"name": "府山小区东门", "kind": "gate", "node": keeper.node}
    )
    red = make_person("赵磊", node_code=GRID_A)
    hq = make_user("county_hq", YUECHENG, username="hq")
    codes.override_colour(hq, red, colour="red", reason="确诊病例的密切接触者（测试）")
    codes.recompute_persons([red.pk])

    resident = camera.new_context(viewport={"width": 375, "height": 740}, locale="zh-CN")
    own = resident.new_page()
    own.goto(f"{live_server.url}/healthcode/me/{personal_token(red.pk)}/")
    qr_video(own.locator("#qr").screenshot(), video)
    resident.close()

    context = camera.new_context(
        viewport={"width": 360, "height": 640}, locale="zh-CN", permissions=["camera"]
    )
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    sign_in(page, live_server.url, "keeper")
    page.goto(f"{live_server.url}/tracing/venues/{gate.pk}/gate/")
    assert page.locator("#scanner").is_visible()
    page.click("#scan-start")
    verdict = page.locator("#gate-result .code-colour[data-colour=red]")
    verdict.wait_for(timeout=20_000)
    assert "红码" in verdict.inner_text()
    assert page.locator("#scan-stop").is_visible()  # the camera stays on for the next one
    page.wait_for_timeout(7_000)  # the resident keeps holding the code up
    scan = Scan.objects.get(person=red)  # one scan: the same code is not sent again
    assert scan.admitted is False and scan.venue == gate and scan.direction == "entry"
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    assert errors == []
    context.close()
