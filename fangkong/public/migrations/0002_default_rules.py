"""Seed the default public rules (24 h answers, R17: 3 days, town ≤ 100 employees,
county ≤ 500, inspection from 100; gathering ban in force) from 2020-01-23."""

import datetime as dt

from django.db import migrations

START = dt.date(2020, 1, 23)


def seed(apps, schema_editor):  # type: ignore[no-untyped-def]
    PublicRules = apps.get_model("public", "PublicRules")
    PublicRules.objects.get_or_create(effective_from=START)


def unseed(apps, schema_editor):  # type: ignore[no-untyped-def]
    apps.get_model("public", "PublicRules").objects.filter(effective_from=START).delete()


class Migration(migrations.Migration):
    dependencies = [("public", "0001_initial")]
    operations = [migrations.RunPython(seed, unseed)]
