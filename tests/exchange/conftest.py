"""Fixtures for the exchange: this deployment is Shaoxing (330600) with its own key in a
temporary folder; Hangzhou (330100) is a registered partner whose private key the
tests hold, so they can sign messages as Hangzhou would."""

import base64
import datetime as dt
import uuid

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from tests.conftest import YUECHENG
from tests.idnumbers import rid

HUAYUAN_ADDR = "绍兴市越城区塔山街道花园社区5幢2单元301室"


@pytest.fixture(autouse=True)
def own_key(settings, tmp_path):
    from fangkong.exchange import signing

    settings.FANGKONG_EXCHANGE_KEY_FILE = str(tmp_path / "keys" / "exchange.key")
    signing.reset()
    yield
    signing.reset()


def public_b64(key: Ed25519PrivateKey) -> str:
    raw = key.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return base64.b64encode(raw).decode()


def sign_as(key: Ed25519PrivateKey, message: dict) -> dict:
    from fangkong.exchange.signing import canonical

    return {
        "message": message,
        "signature": base64.b64encode(key.sign(canonical(message))).decode(),
    }


@pytest.fixture
def hangzhou_key():
    return Ed25519PrivateKey.generate()


@pytest.fixture
def hangzhou(db, system, hangzhou_key):
    from fangkong.exchange import actions

    return actions.save_partner(
        system,
        {"code": "330100", "name": "杭州市", "url": "", "public_key": public_b64(hangzhou_key)},
    )


@pytest.fixture
def request_message():
    """request_message(**body) → an unsigned request from Hangzhou to Shaoxing."""
    from fangkong.core import clock

    def make(**body):
        now = clock.now()
        base = {
            "name": "周建国",
            "sex": "M",
            "birth_date": "1952-03-08",
            "id_number": rid("330602", "1952-03-08", 211),
            "phone": "13905751234",
            "address": HUAYUAN_ADDR,
            "residence_code": "330602001004",
            "reason": "close_contact",
            "exposure_date": (now.date() - dt.timedelta(days=2)).isoformat(),
            "exposure": "G7503次 2020-02-01 同车厢 5车12F",
            "ask": "observe",
            "deadline": (now + dt.timedelta(hours=24)).isoformat(),
            "contact": "杭州市疾控 0571-8511xxxx",
        }
        base.update(body)
        return {
            "schema": "fangkong.exchange/1",
            "id": str(uuid.uuid4()),
            "kind": "request",
            "from": "330100",
            "to": "330600",
            "sent_at": now.isoformat(),
            "body": base,
        }

    return make


@pytest.fixture
def county_user(make_user):
    return make_user("county_hq", YUECHENG)


from tests.clinical.conftest import (  # noqa: E402, F401  (clinical fixtures for report cards)
    clinic,
    doctor,
    zhuji_clinic,
    zhuji_doctor,
)
