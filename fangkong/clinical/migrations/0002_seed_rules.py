"""Default clinical rule sets: the protocols of early 2020, and from 2020-09-01 the
cluster threshold of 5 (protocol, 7th/8th ed.)."""

import datetime as dt

from django.db import migrations

SETS = [
    (dt.date(2020, 1, 1), 2, "Diagnosis protocol 6th ed.; monitoring protocol 3rd ed."),
    (dt.date(2020, 9, 1), 5, "Cluster threshold 5 from 2020-09-01"),
]


def seed(apps, schema_editor):  # type: ignore[no-untyped-def]
    rules = apps.get_model("clinical", "ClinicalRules")
    for day, threshold, note in SETS:
        rules.objects.get_or_create(
            effective_from=day, defaults={"r10_cluster_threshold": threshold, "note": note}
        )


def unseed(apps, schema_editor):  # type: ignore[no-untyped-def]
    rules = apps.get_model("clinical", "ClinicalRules")
    rules.objects.filter(effective_from__in=[d for d, _, _ in SETS]).delete()


class Migration(migrations.Migration):
    dependencies = [("clinical", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]
