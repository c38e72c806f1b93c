"""Demo step of the exchange: Hangzhou as a partner city reached by file, one request
received from it (in a Yuecheng community's screening queue) and one sent to it. And the
direct report of the clinical demo's cases (`report_case`, registered with
clinical.hooks): each report is the case's report card, exported and acknowledged.

The demo partner's private key lives only in memory during the step: the received
request is genuine (signed and checked like any other), and no key is kept anywhere."""

import base64
import datetime as dt
import random
import uuid
from typing import Any

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from stdnum.cn import ric

from fangkong.accounts.models import User
from fangkong.core import clock
from fangkong.core.querysets import system_actor
from fangkong.exchange import actions, schema
from fangkong.exchange.models import Partner
from fangkong.exchange.signing import canonical
from fangkong.geo.models import Division

HANGZHOU = "330100"


def _rid(region: str, birth: dt.date, seq: int) -> str:
    base = f"{region}{birth:%Y%m%d}{seq:03d}"
    return base + ric.calc_check_digit(base + "0")


def report_case(user: Any, case: Any) -> None:
    """The demo doctor's direct report (网络直报) of the case's current class: the card's
    pending version is exported and the direct-reporting system acknowledges it at once
    with a card id of its own, which closes the report clock (docs/report-card.md)."""
    from fangkong.exchange import cards
    from fangkong.exchange.models import CardVersion

    cards.export(user, "csv", case_id=case.pk)
    waiting = CardVersion.objects.filter(card__case_id=case.pk, acknowledged_at__isnull=True)
    for number, seq in waiting.order_by("seq").values_list("card__number", "seq"):
        cards.acknowledge(user, number, seq, f"{number}{seq:02d}")


def demo_step(seed: int) -> str:
    if Partner.objects.filter(code=HANGZHOU).exists():
        return "already present"
    rng = random.Random(seed)
    village = (
        Division.objects.filter(level="village", code__startswith="330602001")
        .select_related("parent")
        .order_by("code")
        .first()
    )
    sender = User.objects.filter(role="county_hq", node__code="330602").first()
    if village is None or village.parent is None:
        return "no Yuecheng community"
    town = village.parent
    key = Ed25519PrivateKey.generate()
    public = key.public_key().public_bytes(
        serialization.Encoding.Raw, serialization.PublicFormat.Raw
    )
    system = system_actor()
    partner = actions.save_partner(
        system,
        {
            "code": HANGZHOU,
            "name": "杭州市",
            "url": "",
            "public_key": base64.b64encode(public).decode(),
        },
    )
    now = clock.now()
    body = {
        "name": "沈建华",
        "sex": "M",
        "birth_date": "1957-09-14",
        "id_number": _rid("330602", dt.date(1957, 9, 14), 2 * rng.randint(10, 400) + 1),
        "phone": f"139{rng.randint(10_000_000, 99_999_999)}",
        "address": f"绍兴市越城区{town.name}{village.name}{rng.randint(1, 30)}幢{rng.randint(1, 6)}01室",
        "residence_code": village.code,
        "reason": "close_contact",
        "exposure_date": (now.date() - dt.timedelta(days=2)).isoformat(),
        "exposure": "杭州市确诊病例的同车密接：G7515 次 6 车厢，前后三排",
        "ask": "observe",
        "deadline": (now + dt.timedelta(hours=24)).isoformat(),
        "contact": "杭州市疫情防控指挥部流调组",
    }
    msg = schema.message("request", HANGZHOU, actions.own_code(), body, now)
    msg["id"] = str(uuid.UUID(int=rng.getrandbits(128), version=4))
    envelope = {"message": msg, "signature": base64.b64encode(key.sign(canonical(msg))).decode()}
    received = actions.receive([envelope], "file")
    sent = 0
    if sender is not None:
        actions.new_request(
            sender,
            partner,
            {
                "name": "林晓",
                "id_number": _rid("330102", dt.date(1988, 3, 2), 2 * rng.randint(10, 400)),
                "phone": f"137{rng.randint(10_000_000, 99_999_999)}",
                "address": "杭州市上城区清波街道劳动路18号",
                "reason": "close_contact",
                "exposure_date": now.date() - dt.timedelta(days=1),
                "exposure": "越城区确诊病例的同桌就餐者（家庭聚餐）",
                "ask": "observe",
                "contact": "越城区疾控中心流调组",
            },
        )
        sent = 1
    return (
        f"partner 杭州市 (by file), {len(received['accepted'])} request received, "
        f"{sent} request sent"
    )
