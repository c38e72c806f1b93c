"""The 2020 designations the demo's rules need, with their sources.

- Wuhan (4201), high, 2020-01-23 → 2020-04-07: the city's outbound routes closed at 10:00
  on 23 January 2020 (武汉市新型冠状病毒感染的肺炎疫情防控指挥部通告第1号, 2020-01-23) and
  reopened on 8 April 2020 (湖北省新冠肺炎疫情防控指挥部通告, 2020-03-24).
- Hubei (42), high, 2020-01-24 → 2020-03-24: Hubei's level-I response from 24 January 2020
  (湖北省人民政府, 2020-01-24); outbound controls for Hubei outside Wuhan lifted from
  25 March 2020 (湖北省新冠肺炎疫情防控指挥部通告, 2020-03-24).
Zhejiang's health code (launched February 2020) gave red to arrivals from Hubei within
14 days, which is how the demo's rules read these designations."""

import datetime as dt

from django.db import transaction

SEEDS = (
    (
        "4201",
        "high",
        dt.date(2020, 1, 23),
        dt.date(2020, 4, 7),
        "武汉市新型冠状病毒感染的肺炎疫情防控指挥部通告（第1号），2020-01-23；"
        "湖北省新冠肺炎疫情防控指挥部通告，2020-03-24（4月8日零时起解除离汉通道管控）",
    ),
    (
        "42",
        "high",
        dt.date(2020, 1, 24),
        dt.date(2020, 3, 24),
        "湖北省启动重大突发公共卫生事件一级响应，2020-01-24；"
        "湖北省新冠肺炎疫情防控指挥部通告，2020-03-24（3月25日零时起武汉以外地区解除离鄂通道管控）",
    ),
)


@transaction.atomic
def seed_2020() -> int:
    """Idempotent: a designation already there (same code and start) is left alone."""
    from fangkong.riskareas import rules
    from fangkong.riskareas.models import RiskArea

    added = 0
    for code, risk, start, end, source in SEEDS:
        level, _name = rules.reference()[code]
        _obj, created = RiskArea.objects.get_or_create(
            code=code,
            starts_on=start,
            defaults={
                "name": rules.name_of(code),
                "level": level,
                "risk": risk,
                "ends_on": end,
                "source": source,
            },
        )
        added += created
    return added


def demo_step(seed: int) -> str:
    added = seed_2020()
    return f"risk areas: {added} designations of 2020 added"
