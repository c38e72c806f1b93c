"""One-time SMS codes leave the one way every SMS leaves: a notify delivery with the
number encrypted and masked, retried with back-off, the code itself reaching only the
gateway — never the delivery record in clear."""

import re

import pytest
from django.urls import reverse

from fangkong.core import clock, crypto
from fangkong.core.sms import OutboxGateway
from fangkong.notify import actions
from fangkong.notify.models import Delivery, Notice, OutboxMessage
from fangkong.notify.sms import Answer
from tests.conftest import TASHAN
from tests.notify.conftest import DAY0, at

PHONE = "13812345678"


@pytest.fixture(autouse=True)
def fresh(settings):
    from django.core.cache import cache

    cache.clear()  # the rate limits
    OutboxGateway.outbox.clear()
    yield
    cache.clear()


class DownGateway:
    """Does not answer `fail_times` times, then accepts; keeps what it was given."""

    received: list = []
    fail_times = 1

    def send(self, message):
        DownGateway.received.append(message)
        if len(DownGateway.received) <= DownGateway.fail_times:
            return Answer(False, "no answer: timed out")
        return Answer(True, "accepted 7781")


@pytest.fixture
def down(settings):
    DownGateway.received = []
    DownGateway.fail_times = 1
    settings.FANGKONG_SMS_BACKEND = "tests.notify.test_phone_codes.DownGateway"
    return DownGateway


def stored_text() -> str:
    """Everything the delivery log holds about messages, as text."""
    rows = []
    for n in Notice.objects.all():
        rows += [n.key, n.title, n.body, n.link, str(n.params), n.recipient_phone_masked]
    for d in Delivery.objects.all():
        rows.append(d.answer)
    for m in OutboxMessage.objects.all():
        rows += [m.key, m.text, str(m.params), m.phone_masked]
    return "\n".join(rows)


def test_a_code_asked_on_the_public_form_is_a_masked_delivery(client, db, make_user):
    with clock.frozen(at(DAY0, 9)):
        assert client.post(reverse("public:send_code"), {"phone": "138 1234 5678"}).status_code
        code = re.search(r"\d{6}", OutboxGateway.last_to(PHONE).text).group()
    notice = Notice.objects.get(kind="phone_code")
    assert notice.recipient_phone_masked == "138****5678"
    assert notice.recipient_user is None and notice.recipient_person is None
    assert notice.title == "短信验证码"
    assert notice.deadline == at(DAY0, 9, 10)  # the code lives ten minutes
    assert crypto.decrypt(bytes(notice.recipient_phone_enc), "notify.notice.phone") == PHONE
    assert PHONE.encode() not in bytes(notice.recipient_phone_enc)
    delivery = notice.deliveries.get()  # SMS only: nobody's inbox
    assert (delivery.channel, delivery.status, delivery.attempts) == ("sms", "sent", 1)
    assert notice.secret_enc is None  # sent: nothing of the code is kept
    # the outbox gateway got the message in Chinese; its stored copy has the code blanked
    assert OutboxGateway.last_to(PHONE).text == (f"【绍兴防控】您的验证码是{code}，10分钟内有效。")
    out = OutboxMessage.objects.get()
    assert out.phone_masked == "138****5678" and out.params == {"code": "******"}
    assert code not in stored_text() and PHONE not in stored_text()
    assert not Notice.objects.for_user(make_user("county_hq", "330602")).exists()
    # the code works on the form
    with clock.frozen(at(DAY0, 9, 3)):
        r = client.post(
            reverse("public:ask"),
            {
                "node_code": TASHAN,
                "department": "health",
                "text": "小区封闭后快递放在哪里取？",
                "phone": PHONE,
                "code": code,
            },
        )
    assert r.status_code in (200, 302)
    from fangkong.public.models import Question

    assert Question.objects.filter(text="小区封闭后快递放在哪里取？").exists()


def test_a_gateway_that_does_not_answer_is_retried_with_the_code_kept_encrypted(down, db):
    from fangkong.core import otp_codes

    with clock.frozen(at(DAY0, 9)):
        otp_codes.send(PHONE)
    notice = Notice.objects.get(kind="phone_code")
    sms = notice.deliveries.get()
    assert (sms.status, sms.attempts, sms.answer) == ("pending", 1, "no answer: timed out")
    code = down.received[0].params["code"]
    assert down.received[0].text.endswith(f"{code}，10分钟内有效。")
    assert down.received[0].template == "phone_code" and down.received[0].phone == PHONE
    notice.refresh_from_db()
    assert notice.secret_enc is not None and code.encode() not in bytes(notice.secret_enc)
    assert code not in stored_text()
    with clock.frozen(at(DAY0, 9, 1)):
        assert actions.deliver_due()["sent"] == 1
    sms.refresh_from_db()
    notice.refresh_from_db()
    assert (sms.status, sms.attempts, sms.answer) == ("sent", 2, "accepted 7781")
    assert [m.params for m in down.received] == [{"code": code}] * 2
    assert notice.secret_enc is None
    # forced back to pending (a worker that died), the erased code is not sent again
    Delivery.objects.filter(pk=sms.pk).update(status="pending")
    with clock.frozen(at(DAY0, 9, 2)):
        actions.deliver_due()
    sms.refresh_from_db()
    assert sms.status == "failed" and len(down.received) == 2


def test_a_code_is_not_sent_after_it_has_expired(down, db):
    from fangkong.core import otp_codes

    down.fail_times = 99
    with clock.frozen(at(DAY0, 9)):
        otp_codes.send(PHONE)
    sms = Delivery.objects.get(notice__kind="phone_code")
    with clock.frozen(at(DAY0, 9, 1)):
        actions.deliver_due()  # the second attempt, still refused
    with clock.frozen(at(DAY0, 9, 11)):
        actions.deliver_due()  # ten minutes gone: the code is dead
    sms.refresh_from_db()
    assert sms.status == "failed" and sms.answer == "expired before it could be sent"
    assert len(down.received) == 2
    assert Notice.objects.get(kind="phone_code").secret_enc is None


def test_rate_limits_still_hold_and_each_code_is_one_delivery(db):
    from django.core.exceptions import ValidationError

    from fangkong.core import otp_codes

    with clock.frozen(at(DAY0, 9)):
        for _ in range(5):
            otp_codes.send(PHONE)
        with pytest.raises(ValidationError):
            otp_codes.send(PHONE)
    assert Delivery.objects.filter(notice__kind="phone_code", status="sent").count() == 5
    assert len([m for m in OutboxGateway.outbox if m.phone == PHONE]) == 5
    with clock.frozen(at(DAY0, 10, 1)):
        otp_codes.send(PHONE)  # an hour later, allowed again
    assert Notice.objects.filter(kind="phone_code").count() == 6
