"""Receiving signed messages: a good request lands in the screening queue with the
request attached; a bad one is refused, logged and nothing is stored."""

import copy
import datetime as dt

import pytest

from tests.exchange.conftest import sign_as

pytestmark = pytest.mark.django_db


def counts():
    from fangkong.exchange.models import HandoverRequest, Message
    from fangkong.people.models import Person
    from fangkong.screening.models import ScreeningTask

    return (
        HandoverRequest.objects.count(),
        Message.objects.count(),
        Person.objects.count(),
        ScreeningTask.objects.count(),
    )


def test_request_lands_in_the_screening_queue_of_the_grid(hangzhou, hangzhou_key, request_message):
    from fangkong.exchange import actions
    from fangkong.exchange.models import HandoverRequest
    from fangkong.screening.models import ScreeningTask

    msg = request_message()
    result = actions.receive([sign_as(hangzhou_key, msg)], "http")
    assert result == {"accepted": [msg["id"]], "refused": []}
    req = HandoverRequest.objects.get(direction="in")
    assert str(req.message_id) == msg["id"]
    assert req.partner == hangzhou and req.state == "open"
    assert req.subject is not None and req.person is not None
    assert req.node.code.startswith("330602001004")
    assert req.id_masked.startswith("330602") and "*" in req.id_masked
    # Encrypted at rest: the ciphertext does not contain the number.
    assert msg["body"]["id_number"].encode() not in bytes(req.id_number_enc)
    assert req.reveal("id_number") == msg["body"]["id_number"]
    task = ScreeningTask.objects.get(subject=req.subject)
    assert task.status == "open"


@pytest.mark.parametrize(
    ("tamper", "reason"),
    [
        (lambda env: env["message"]["body"].update(name="李四"), "bad signature"),
        (lambda env: env["message"].update({"from": "420100"}), "unknown partner"),
        (lambda env: env.update(signature=env["signature"][:-4] + "AAA="), "bad signature"),
    ],
)
def test_tampered_or_unknown_is_refused_and_nothing_stored(
    hangzhou, hangzhou_key, request_message, tamper, reason
):
    from fangkong.exchange import actions
    from fangkong.exchange.models import Refusal

    env = sign_as(hangzhou_key, request_message())
    env = copy.deepcopy(env)
    tamper(env)
    before = counts()
    result = actions.receive([env], "http")
    assert result["accepted"] == [] and result["refused"][0]["reason"] == reason
    assert counts() == before
    refusal = Refusal.objects.get()
    assert refusal.reason == reason
    assert "周建国" not in str(refusal.__dict__)


def test_replayed_message_id_is_refused(hangzhou, hangzhou_key, request_message):
    from fangkong.exchange import actions

    env = sign_as(hangzhou_key, request_message())
    assert actions.receive([env], "http")["accepted"]
    before = counts()
    again = actions.receive([env], "http")
    assert again["refused"][0]["reason"] == "replayed message id"
    assert counts() == before


def test_person_outside_the_province_is_refused(hangzhou, hangzhou_key, request_message):
    from fangkong.exchange import actions

    env = sign_as(hangzhou_key, request_message(residence_code="420102", address="武汉市江岸区"))
    before = counts()
    result = actions.receive([env], "http")
    assert result["refused"][0]["reason"] == "the person lives outside the receiver's province"
    assert counts() == before


def test_stale_message_and_bad_id_are_refused(hangzhou, hangzhou_key, request_message):
    from fangkong.core import clock
    from fangkong.exchange import actions

    old = request_message()
    old["sent_at"] = (clock.now() - dt.timedelta(hours=3)).isoformat()
    bad_id = request_message(id_number="330602195203081234")
    before = counts()
    result = actions.receive([sign_as(hangzhou_key, old), sign_as(hangzhou_key, bad_id)], "http")
    reasons = [r["reason"] for r in result["refused"]]
    assert reasons[0] == "timestamp outside the accepted window"
    assert reasons[1].startswith("id_number:")
    assert counts() == before


def test_a_good_and_a_bad_message_in_one_batch(hangzhou, hangzhou_key, request_message):
    from fangkong.exchange import actions
    from fangkong.exchange.models import HandoverRequest

    good = sign_as(hangzhou_key, request_message())
    bad = sign_as(hangzhou_key, request_message(name="王五"))
    bad["message"]["body"]["ask"] = "test"
    result = actions.receive([good, bad], "http")
    assert len(result["accepted"]) == 1 and len(result["refused"]) == 1
    assert HandoverRequest.objects.filter(direction="in").count() == 1


def test_answer_goes_back_and_closes_the_loop(
    hangzhou, hangzhou_key, request_message, make_user, system
):
    """Receiver side: the answer is stored and queued, signed with our key."""
    from fangkong.exchange import actions, signing
    from fangkong.exchange.models import HandoverRequest, Message

    actions.receive([sign_as(hangzhou_key, request_message())], "http")
    req = HandoverRequest.objects.get(direction="in")
    worker = make_user("grid_worker", req.node.code)
    actions.answer(worker, req, "observed", "已落实居家医学观察")
    req.refresh_from_db()
    assert req.state == "answered" and req.answer == "observed"
    out = Message.objects.get(direction="out", kind="answer")
    envelope = actions._envelope(out)
    assert signing.verify(envelope, signing.public_key_b64())
    assert envelope["message"]["body"]["request"] == str(req.message_id)
    with pytest.raises(Exception, match="already answered"):
        actions.answer(worker, req, "found")


def test_answer_from_partner_closes_our_request(hangzhou, hangzhou_key, county_user):
    from fangkong.core import clock
    from fangkong.exchange import actions
    from fangkong.exchange.models import HandoverRequest, Refusal
    from tests.exchange.test_files_and_pages import outgoing

    req = outgoing(county_user, hangzhou)
    assert req.state == "waiting"
    now = clock.now()
    answer = {
        "schema": "fangkong.exchange/1",
        "id": "6b1f3f4c-1111-4a4a-9999-0123456789ab",
        "kind": "answer",
        "from": "330100",
        "to": "330600",
        "sent_at": now.isoformat(),
        "body": {
            "request": str(req.message_id),
            "answer": "moved_on",
            "note": "已离杭去往宁波",
            "answered_at": now.isoformat(),
        },
    }
    result = actions.receive([sign_as(hangzhou_key, answer)], "file")
    assert result["accepted"] == [answer["id"]]
    req.refresh_from_db()
    assert req.state == "answered" and req.answer == "moved_on"
    # An answer to a request we never sent is refused.
    answer["id"] = "6b1f3f4c-2222-4a4a-9999-0123456789ab"
    answer["body"]["request"] = "6b1f3f4c-3333-4a4a-9999-0123456789ab"
    result = actions.receive([sign_as(hangzhou_key, answer)], "file")
    assert result["refused"][0]["reason"] == "answer to an unknown request"
    assert Refusal.objects.count() == 1
    assert HandoverRequest.objects.count() == 1


def test_overdue_requests_escalate_by_the_clock(hangzhou, hangzhou_key, request_message):
    from fangkong.core import clock
    from fangkong.exchange import actions
    from fangkong.exchange.models import HandoverRequest

    actions.receive([sign_as(hangzhou_key, request_message())], "http")
    req = HandoverRequest.objects.get()
    assert not req.overdue and req.escalated_to is None
    with clock.frozen(req.deadline + dt.timedelta(minutes=1)):
        assert req.overdue
        assert req.escalated_to == req.node.parent
        assert HandoverRequest.objects.overdue().count() == 1


def test_the_same_person_handed_over_twice_joins_one_subject(
    hangzhou, hangzhou_key, request_message
):
    from fangkong.exchange import actions
    from fangkong.exchange.models import HandoverRequest
    from fangkong.screening.models import ScreeningSubject

    for _ in range(2):
        msg = request_message(id_number="", exposure="同一航班 CA1234")
        assert actions.receive([sign_as(hangzhou_key, msg)], "http")["accepted"]
    first, second = HandoverRequest.objects.order_by("pk")
    assert first.subject is not None and second.subject == first.subject
    assert ScreeningSubject.objects.count() == 1


def test_received_request_follows_its_subject_when_moved(hangzhou, hangzhou_key, request_message):
    from fangkong.exchange import actions
    from fangkong.exchange.models import HandoverRequest
    from fangkong.geo.models import Division
    from tests.conftest import GRID_C

    actions.receive([sign_as(hangzhou_key, request_message())], "http")
    req = HandoverRequest.objects.get()
    subject = req.subject
    grid = Division.objects.get(code=GRID_C)
    subject.node, subject.path = grid, grid.path
    subject.save(update_fields=["node", "path"])
    req.refresh_from_db()
    assert req.node == grid and req.path == grid.path


def test_unknown_schema_version_is_refused(hangzhou, hangzhou_key, request_message):
    from fangkong.exchange import actions

    msg = request_message()
    msg["schema"] = "fangkong.exchange/2"
    before = counts()
    result = actions.receive([sign_as(hangzhou_key, msg)], "http")
    assert result["refused"][0]["reason"] == "schema: schema: unknown schema version"
    assert counts() == before


def test_jurisdiction_browser_counts_overdue_requests_per_child(
    hangzhou, hangzhou_key, request_message, city_hq
):
    from fangkong.core import clock
    from fangkong.exchange import actions
    from fangkong.exchange.models import HandoverRequest
    from fangkong.geo import counters
    from fangkong.geo.models import Division

    actions.receive([sign_as(hangzhou_key, request_message())], "http")
    req = HandoverRequest.objects.get()
    city = Division.objects.get(code="3306")
    children = list(city.children.all())
    count = {c.key: c for c in counters.all_counters()}["exchange_overdue"].count
    assert count(city_hq, city, children).get("330602", 0) == 0
    with clock.frozen(req.deadline + dt.timedelta(hours=1)):
        assert count(city_hq, city, children)["330602"] == 1
