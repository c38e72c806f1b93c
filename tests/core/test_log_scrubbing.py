"""No resident ID or phone number in the logs (issue #16, item 3): the logs captured
while requests carry numbers in their address, their body and the application's own
messages are grepped for ID- and phone-shaped values."""

import io
import logging
import re
import types

import pytest
from django.urls import reverse

from fangkong.core import logscrub
from tests.conftest import GRID_A
from tests.idnumbers import rid

ID = rid("330602", "1948-11-11", 231)
PHONE = "13812345678"
FULL = re.compile(r"(?<![0-9A-Za-z])\d{17}[\dXx](?![0-9A-Za-z])|(?<!\d)1[3-9]\d{9}(?!\d)")


@pytest.mark.parametrize(
    "text",
    [
        f"GET /people/?q={ID}&node=330602 HTTP/1.1",
        f"GET /api/v1/persons/?q=%2B86{PHONE} HTTP/1.1",
        f"phone 138 1234 5678, id {ID.lower()}",
        "q=138%201234%205678 and q=138+1234+5678",
        f"looked up {PHONE} and {ID}",
    ],
)
def test_scrub_masks_ids_and_phones(text):
    clean = logscrub.scrub(text)
    assert not FULL.search(clean.replace("%20", "").replace("+", "").replace(" ", ""))
    assert ID[-4:] in clean or "5678" in clean


def test_scrub_leaves_other_numbers():
    text = "GET /geo/330602001004G01/ 200 5123 0.045 2020-02-10 /api/v1/persons/?after=12345"
    assert logscrub.scrub(text) == text


def test_logs_of_a_test_run_hold_no_number(client, make_user, make_person, caplog):
    make_person("王秀英", node_code=GRID_A, id_number=ID, phone=PHONE)
    client.force_login(make_user("grid_worker", GRID_A))
    caplog.set_level(logging.DEBUG)
    client.get(reverse("people:list"), {"q": ID})  # refused, logged as a bad request
    client.get(f"/people/{ID}/")  # not found, logged
    client.post(reverse("people:list"), {"q": PHONE}, follow=True)
    logging.getLogger("fangkong.test").warning("no match for %s / %s", ID, PHONE)
    logging.getLogger("django.server").info('"GET /people/?q=%s HTTP/1.1" 400 12', ID)
    text = caplog.text + "\n".join(r.getMessage() for r in caplog.records)
    assert "Bad Request" in text or "Not Found" in text
    assert ID not in text and PHONE not in text and not FULL.search(text)


def test_gunicorn_access_log_is_scrubbed():
    from gunicorn.config import Config

    cfg = Config()
    cfg.set("accesslog", "-")
    logger = logscrub.GunicornLogger(cfg)
    stream = io.StringIO()
    for handler in logger.access_log.handlers:
        handler.setStream(stream)  # type: ignore[attr-defined]
    environ = {
        "REQUEST_METHOD": "GET",
        "RAW_URI": f"/people/?q={ID}",
        "PATH_INFO": "/people/",
        "QUERY_STRING": f"q={ID}&tel={PHONE}",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "127.0.0.1",
    }
    req = types.SimpleNamespace(
        headers=[],
        method="GET",
        path="/people/",
        query=environ["QUERY_STRING"],
        uri=environ["RAW_URI"],
        version=(1, 1),
    )
    resp = types.SimpleNamespace(status="400 Bad Request", response_length=12, sent=12, headers=[])
    import datetime as dt

    logger.access(resp, req, environ, dt.timedelta(seconds=0.01))
    line = stream.getvalue()
    assert "/people/?q=330602********" in line and ID not in line and PHONE not in line
