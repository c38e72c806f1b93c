"""Default supplies rule set (alert under 7 days, price alert at +10 %, medical first)
and the starting catalogue of protective, medical, disinfection and basket items."""

import datetime as dt
from decimal import Decimal

from django.db import migrations

# name, category, standard, unit, pack size, priority, per bed-day, per observed person-day
ITEMS = [
    ("医用防护口罩", "protective", "N95", "只", 20, 1, "6", "0"),
    ("颗粒物防护口罩", "protective", "KN95", "只", 20, 2, "0", "0"),
    ("一次性医用外科口罩", "protective", "YY 0469", "只", 50, 2, "4", "2"),
    ("医用防护服", "protective", "GB 19082", "套", 10, 1, "4", "0"),
    ("护目镜", "protective", "", "副", 10, 2, "1", "0"),
    ("医用手套", "protective", "", "副", 100, 3, "10", "0.5"),
    ("红外体温计", "medical", "", "支", 10, 3, "0.1", "0.02"),
    ("84消毒液", "disinfection", "", "瓶", 12, 3, "0.5", "0.1"),
    ("75%酒精", "disinfection", "", "瓶", 24, 3, "0.5", "0.1"),
    ("大米", "necessity", "", "公斤", 25, 5, "0", "0.4"),
    ("猪肉", "necessity", "", "公斤", 1, 5, "0", "0"),
    ("鸡蛋", "necessity", "", "公斤", 15, 5, "0", "0"),
    ("青菜", "necessity", "", "公斤", 1, 5, "0", "0"),
]


def seed(apps, schema_editor):  # type: ignore[no-untyped-def]
    rules = apps.get_model("supplies", "SupplyRules")
    rules.objects.get_or_create(
        effective_from=dt.date(2020, 1, 1),
        defaults={"note": "Joint prevention mechanism supplies guidance, January 2020"},
    )
    item = apps.get_model("supplies", "Item")
    for name, cat, std, unit, pack, prio, bed, obs in ITEMS:
        item.objects.get_or_create(
            name=name,
            defaults={
                "category": cat,
                "standard": std,
                "unit": unit,
                "pack_size": pack,
                "priority": prio,
                "per_bed_day": Decimal(bed),
                "per_observed_day": Decimal(obs),
            },
        )


def unseed(apps, schema_editor):  # type: ignore[no-untyped-def]
    apps.get_model("supplies", "SupplyRules").objects.filter(
        effective_from=dt.date(2020, 1, 1)
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("supplies", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]
