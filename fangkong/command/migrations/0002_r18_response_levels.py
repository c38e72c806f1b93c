"""Seed the dated response levels of R18 (Zhejiang); headquarters adds later ones."""

import datetime as dt

from django.db import migrations

R18 = [
    (dt.date(2020, 1, 23), "I", "Zhejiang Level I response, 2020-01-23"),
    (dt.date(2020, 3, 2), "II", "Zhejiang lowered to Level II, 2020-03-02"),
    (dt.date(2020, 3, 23), "III", "Zhejiang lowered to Level III, 2020-03-23"),
]


def seed(apps, schema_editor):  # type: ignore[no-untyped-def]
    ResponseLevel = apps.get_model("command", "ResponseLevel")
    for day, grade, note in R18:
        ResponseLevel.objects.get_or_create(effective_from=day, defaults={"grade": grade, "note": note})


def unseed(apps, schema_editor):  # type: ignore[no-untyped-def]
    ResponseLevel = apps.get_model("command", "ResponseLevel")
    ResponseLevel.objects.filter(effective_from__in=[d for d, _g, _n in R18], created_by=None).delete()


class Migration(migrations.Migration):
    dependencies = [("command", "0001_initial")]
    operations = [migrations.RunPython(seed, unseed)]
