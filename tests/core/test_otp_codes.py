"""One-time codes (issue #16 item 4): one service for every public SMS form. A wrong
guess is counted even though it raises, a code is burnt after five guesses, and sends
and guesses are limited per number and per client on every form that uses codes."""

import re

import pytest
from django.core.cache import cache, caches
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse

from fangkong.core import otp_codes
from fangkong.core.models import PhoneCode
from fangkong.core.sms import OutboxGateway

pytestmark = pytest.mark.django_db
PHONE = "13905750123"


@pytest.fixture(autouse=True)
def outbox():
    cache.clear()
    caches["shared"].clear()
    OutboxGateway.outbox.clear()
    yield
    OutboxGateway.outbox.clear()


def last_code(phone: str = PHONE) -> str:
    return re.search(r"\d{6}", OutboxGateway.last_to(phone).text).group()


def wrong(code: str) -> str:
    return f"{(int(code) + 1) % 10**6:06d}"


def test_wrong_guesses_are_counted_and_burn_the_code():
    otp_codes.send(PHONE)
    code = last_code()
    for _ in range(otp_codes.ATTEMPTS):
        with pytest.raises(ValidationError) as bad:
            otp_codes.verify(PHONE, wrong(code))
        assert "code" in bad.value.message_dict
    assert PhoneCode.objects.get().attempts == otp_codes.ATTEMPTS
    with pytest.raises(ValidationError) as burnt:
        otp_codes.verify(PHONE, code)  # the right code, too late
    assert "request a new code" in burnt.value.messages[0]
    otp_codes.send(PHONE)
    assert otp_codes.verify(PHONE, last_code()) == PHONE


def test_a_guess_inside_a_caller_that_could_roll_it_back_is_refused():
    """The public app's old check rolled its own counter back with the error; the
    service commits each guess, so it must not run inside a caller's transaction."""
    otp_codes.send(PHONE)
    code = last_code()
    with pytest.raises(ValidationError):
        otp_codes.verify(PHONE, wrong(code))
    assert PhoneCode.objects.get().attempts == 1  # the error did not undo the count
    with pytest.raises(RuntimeError), transaction.atomic():
        otp_codes.verify(PHONE, wrong(code))
    assert PhoneCode.objects.get().attempts == 1


def test_a_code_is_used_once():
    otp_codes.send(PHONE)
    code = last_code()
    assert otp_codes.verify(PHONE, code) == PHONE
    with pytest.raises(ValidationError):
        otp_codes.verify(PHONE, code)


def test_sends_per_number_and_per_client():
    for _ in range(otp_codes.SENDS_PER_PHONE):
        otp_codes.send(PHONE, client="203.0.113.7")
    with pytest.raises(ValidationError) as refused:
        otp_codes.send(PHONE, client="198.51.100.1")  # another client, the same number
    assert "phone" in refused.value.message_dict
    for n in range(otp_codes.SENDS_PER_CLIENT - otp_codes.SENDS_PER_PHONE):
        otp_codes.send(f"139057{n:05d}", client="203.0.113.7")
    with pytest.raises(ValidationError):
        otp_codes.send("13800000000", client="203.0.113.7")
    otp_codes.send("13800000000", client="198.51.100.1")


def test_guesses_per_client_across_numbers():
    phones = [f"1370000{n:04d}" for n in range(otp_codes.CHECKS_PER_CLIENT // 4 + 1)]
    for phone in phones:
        otp_codes.send(phone, client="198.51.100.1")
    tried = 0
    for phone in phones:
        for _ in range(4):
            if tried == otp_codes.CHECKS_PER_CLIENT:
                break
            with pytest.raises(ValidationError):
                otp_codes.verify(phone, wrong(last_code(phone)), client="203.0.113.7")
            tried += 1
    phone = phones[-1]
    with pytest.raises(ValidationError) as limited:
        otp_codes.verify(phone, last_code(phone), client="203.0.113.7")
    assert "Too many" in limited.value.messages[0] or "过多" in limited.value.messages[0]
    assert otp_codes.verify(phone, last_code(phone), client="198.51.100.1") == phone


def test_guesses_per_number_across_codes_and_clients():
    for n in range(otp_codes.CHECKS_PER_PHONE):
        if n % otp_codes.ATTEMPTS == 0:
            cache.clear()
            PhoneCode.objects.update(sent_at="2000-01-01T00:00:00Z")  # not "this hour"
            otp_codes.send(PHONE)
        with pytest.raises(ValidationError):
            otp_codes.verify(PHONE, wrong(last_code()), client=f"10.0.0.{n}")
    PhoneCode.objects.update(sent_at="2000-01-01T00:00:00Z")
    otp_codes.send(PHONE)
    with pytest.raises(ValidationError):
        otp_codes.verify(PHONE, last_code(), client="10.1.1.1")


# Every public SMS form goes through the service -----------------------------------------


def test_mobilisation_verify_page_burns_the_code_after_five_guesses(client):
    r = client.post(reverse("mobilisation:phone"), {"phone": PHONE})
    assert r.status_code == 200
    code = last_code()
    for _ in range(otp_codes.ATTEMPTS):
        r = client.post(reverse("mobilisation:verify"), {"phone": PHONE, "code": wrong(code)})
        assert r.status_code == 200
    r = client.post(reverse("mobilisation:verify"), {"phone": PHONE, "code": code})
    assert r.status_code == 200  # not redirected to the member's page
    assert client.get(reverse("mobilisation:me")).status_code == 302


def test_mobilisation_pages_limit_one_client(client):
    for n in range(otp_codes.SENDS_PER_CLIENT):
        r = client.post(reverse("mobilisation:phone"), {"phone": f"1380000{n:04d}"})
        assert 'name="code"' in r.text
    r = client.post(reverse("mobilisation:phone"), {"phone": "13900000000"})
    assert 'name="code"' not in r.text
    assert OutboxGateway.last_to("13900000000") is None
    # Another address behind no proxy is another client.
    r = client.post(
        reverse("mobilisation:phone"), {"phone": "13900000000"}, REMOTE_ADDR="198.51.100.9"
    )
    assert 'name="code"' in r.text


def test_mobilisation_one_number_five_codes_an_hour(client):
    for _ in range(otp_codes.SENDS_PER_PHONE):
        client.post(reverse("mobilisation:phone"), {"phone": PHONE})
    client.post(reverse("mobilisation:phone"), {"phone": PHONE})
    assert len([m for m in OutboxGateway.outbox if m.phone == PHONE]) == otp_codes.SENDS_PER_PHONE


def test_public_and_mobilisation_forms_share_the_client_limit(client):
    for n in range(otp_codes.SENDS_PER_CLIENT):
        otp_codes.send(f"1360000{n:04d}", client="127.0.0.1")  # the test client's address
    client.post(reverse("mobilisation:phone"), {"phone": "13900000000"})
    client.post(reverse("public:send_code"), {"phone": "13900000001"})
    r = client.post(
        "/api/v1/public/open/codes", {"phone": "13900000002"}, content_type="application/json"
    )
    assert r.status_code == 422 and "phone" in r.text
    assert not [m for m in OutboxGateway.outbox if m.phone.startswith("1390000000")]
