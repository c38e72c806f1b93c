"""Commands run inside one loopback deployment (see loopback.py); each prints one JSON
line. Not a test module: it is executed as a script with the deployment's environment."""

import datetime as dt
import json
import sys
import time
from pathlib import Path

import django

django.setup()

from fangkong.accounts.models import ApiToken, User  # noqa: E402
from fangkong.core import clock  # noqa: E402
from fangkong.core.querysets import system_actor  # noqa: E402
from fangkong.exchange import actions, schema, signing  # noqa: E402
from fangkong.exchange.models import HandoverRequest, Message, Partner  # noqa: E402
from fangkong.geo.loaders import load_divisions, read_csv  # noqa: E402
from fangkong.geo.models import Division  # noqa: E402


def system() -> User:
    return system_actor()


def init(csv_path: str) -> dict:
    load_divisions(read_csv(Path(csv_path)))
    top = Division.objects.filter(parent__isnull=True).get()
    user = User.objects.create_user(
        username="hq", password="loopback-pw-1", role="city_hq", node=top, display_name="指挥部"
    )
    raw = ApiToken.new_raw()
    ApiToken.objects.create(
        user=user, digest=ApiToken.hash(raw), expires_at=clock.now() + dt.timedelta(days=1)
    )
    return {"token": raw, "code": actions.own_code(), "public_key": signing.public_key_b64()}


def partner(code: str, name: str, url: str, key: str) -> dict:
    p = actions.save_partner(system(), {"code": code, "name": name, "url": url, "public_key": key})
    return {"id": p.pk}


def envelope(to: str) -> dict:
    """A freshly signed request to a partner (the test tampers with a copy)."""
    now = clock.now()
    body = {
        "name": "钱小红",
        "sex": "F",
        "birth_date": "1991-04-02",
        "id_number": "",
        "phone": "13600571234",
        "address": "杭州市上城区清波街道劳动路社区12号",
        "residence_code": "330102001001",
        "reason": "arrival",
        "exposure_date": now.date().isoformat(),
        "exposure": "自武汉返回",
        "ask": "screen",
        "deadline": (now + dt.timedelta(hours=24)).isoformat(),
        "contact": "",
    }
    return signing.sign(schema.message("request", actions.own_code(), to, body, now))


def resident_id(n: int) -> str:
    from stdnum.cn import ric

    birth = dt.date(1940, 1, 1) + dt.timedelta(days=(n * 7) % 25000)
    base = f"330102{birth:%Y%m%d}{n % 1000:03d}"
    return base + ric.calc_check_digit(base + "0")


def bulk_requests(to: str, n: str) -> dict:
    """N outgoing requests to a partner, not yet delivered (the benchmark's load)."""
    user = User.objects.get(username="hq")
    p = Partner.objects.get(code=to)
    started = time.perf_counter()
    for i in range(int(n)):
        actions.new_request(
            user,
            p,
            {
                "name": f"测试{i:05d}",
                "id_number": resident_id(i),
                "address": f"杭州市上城区清波街道劳动路社区{i % 300 + 1}号",
                "reason": "close_contact",
                "ask": "observe",
                "exposure": "同一航班",
            },
        )
    return {"created": int(n), "seconds": time.perf_counter() - started}


def deliver() -> dict:
    started = time.perf_counter()
    counts = actions.deliver()
    return {**counts, "seconds": time.perf_counter() - started}


def answer_all() -> dict:
    user = User.objects.get(username="hq")
    started = time.perf_counter()
    n = 0
    for req in HandoverRequest.objects.filter(
        direction="in", answered_at__isnull=True
    ).select_related("partner"):
        actions.answer(user, req, "observed", "已落实")
        n += 1
    return {"answered": n, "seconds": time.perf_counter() - started}


def counts() -> dict:
    qs = HandoverRequest.objects
    return {
        "out": qs.filter(direction="out").count(),
        "out_answered": qs.filter(direction="out", state="answered").count(),
        "in": qs.filter(direction="in").count(),
        "in_with_subject": qs.filter(direction="in", subject__isnull=False).count(),
        "undelivered": Message.objects.filter(direction="out", delivered_at__isnull=True).count(),
        "in_ids": sorted(
            str(x) for x in qs.filter(direction="in").values_list("message_id", flat=True)
        )
        if qs.filter(direction="in").count() <= 20000
        else [],
        "out_ids": sorted(
            str(x) for x in qs.filter(direction="out").values_list("message_id", flat=True)
        ),
    }


COMMANDS = {
    "init": init,
    "partner": partner,
    "envelope": envelope,
    "bulk-requests": bulk_requests,
    "deliver": deliver,
    "answer-all": answer_all,
    "counts": counts,
}

if __name__ == "__main__":
    print(json.dumps(COMMANDS[sys.argv[1]](*sys.argv[2:]), ensure_ascii=False, default=str))
