"""Seed the default care rules (3 days to solve a difficulty, photos up to 5 MB, six
per deed) from 2020-01-23, and the default difficulty categories."""

import datetime as dt

from django.db import migrations

START = dt.date(2020, 1, 23)
CATEGORIES = [
    ("childcare", "子女照护"),
    ("elderly", "老人照护"),
    ("necessities", "生活物资"),
    ("medical", "就医用药"),
    ("transport", "交通出行"),
    ("psychological", "心理疏导"),
    ("other", "其他困难"),
]


def seed(apps, schema_editor):  # type: ignore[no-untyped-def]
    apps.get_model("care", "CareRules").objects.get_or_create(
        effective_from=START, defaults={"note": "default"}
    )
    Category = apps.get_model("care", "Category")
    for order, (code, name) in enumerate(CATEGORIES):
        Category.objects.get_or_create(code=code, defaults={"name": name, "order": order})


def unseed(apps, schema_editor):  # type: ignore[no-untyped-def]
    apps.get_model("care", "CareRules").objects.filter(effective_from=START).delete()
    apps.get_model("care", "Category").objects.filter(code__in=[c for c, _ in CATEGORIES]).delete()


class Migration(migrations.Migration):
    dependencies = [("care", "0001_initial")]
    operations = [migrations.RunPython(seed, unseed)]
