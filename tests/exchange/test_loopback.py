"""Two deployments on loopback (two gunicorn processes, two SQLite databases, two data
keys, two exchange keys) exchange a request and its answer end to end over HTTP; a
tampered message is refused and nothing is stored; a replay is refused."""

import copy

import pytest

from tests.exchange.loopback import two_deployments
from tests.idnumbers import rid


@pytest.fixture
def pair(tmp_path):
    a = b = None
    try:
        a, b = two_deployments(tmp_path)
        yield a, b
    finally:
        for d in (a, b):
            if d is not None:
                d.stop()


def test_request_and_answer_travel_between_two_deployments(pair):
    shaoxing, hangzhou = pair
    id_number = rid("330102", "1990-05-01", 357)
    status, sent = shaoxing.call(
        "POST",
        "/api/v1/exchange/requests",
        {
            "partner_code": "330100",
            "name": "孙丽",
            "id_number": id_number,
            "phone": "13805712345",
            "address": "杭州市上城区清波街道劳动路社区8号",
            "reason": "close_contact",
            "exposure_date": None,
            "exposure": "2020-02-02 同一餐馆同桌就餐",
            "ask": "observe",
            "contact": "绍兴市越城区疾控 0575-xxxx",
        },
    )
    assert status == 201, sent
    assert sent["state"] == "open"  # delivered at once over the link
    assert sent["id_masked"] != id_number and "*" in sent["id_masked"]

    status, received = hangzhou.call("GET", "/api/v1/exchange/requests?direction=in")
    assert status == 200 and received["count"] == 1
    got = received["items"][0]
    assert got["message_id"] == sent["message_id"]
    assert got["name"] == "孙丽" and got["partner_code"] == "330600"
    assert got["subject_id"] is not None  # in Hangzhou's screening queue
    assert got["node_code"] == "330102001001"
    status, shown = hangzhou.call(
        "POST", f"/api/v1/exchange/requests/{got['id']}/reveal", {"field": "id_number"}
    )
    assert status == 200 and shown == {"id_number": id_number}

    status, answered = hangzhou.call(
        "POST",
        f"/api/v1/exchange/requests/{got['id']}/answer",
        {"answer": "observed", "note": "已居家医学观察"},
    )
    assert status == 200, answered
    status, back = shaoxing.call("GET", f"/api/v1/exchange/requests/{sent['id']}")
    assert status == 200
    assert back["state"] == "answered" and back["answer"] == "observed"
    assert back["answer_note"] == "已居家医学观察"

    # A message changed in transit is refused, and nothing is stored.
    envelope = shaoxing.run("envelope", "330100")
    tampered = copy.deepcopy(envelope)
    tampered["message"]["body"]["name"] = "钱小明"
    status, result = hangzhou.post_inbox({"schema": "fangkong.exchange/1", "messages": [tampered]})
    assert status == 403
    assert result["refused"] == [{"id": envelope["message"]["id"], "reason": "bad signature"}]
    assert hangzhou.run("counts")["in"] == 1
    # The untampered message is accepted once; sent again, it is a replay.
    status, result = hangzhou.post_inbox({"schema": "fangkong.exchange/1", "messages": [envelope]})
    assert status == 200 and result["accepted"] == [envelope["message"]["id"]]
    status, result = hangzhou.post_inbox({"schema": "fangkong.exchange/1", "messages": [envelope]})
    assert status == 403 and result["refused"][0]["reason"] == "replayed message id"
    assert hangzhou.run("counts")["in"] == 2
