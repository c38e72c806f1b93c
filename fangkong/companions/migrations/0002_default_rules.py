"""Seed the default companion rule set: 10 minutes shared (analytics.md), 240-minute
buckets, a new stay after a 30-minute gap, tracing from 2 days before onset (national
protocol, 5th ed.), setting weights for ranking (Luo et al. 2020 anchors)."""

import datetime as dt

from django.db import migrations

WEIGHTS = {"0": 10, "1": 50, "2": 20, "3": 10, "4": 10, "5": 1}


def seed(apps, schema_editor):
    apps.get_model("companions", "CompanionRules").objects.get_or_create(
        effective_from=dt.date(2020, 1, 1),
        defaults={
            "theta_minutes": 10,
            "bucket_minutes": 240,
            "gap_minutes": 30,
            "days_before_onset": 2,
            "weights": WEIGHTS,
            "batch_size": 25,
            "note": "θ 10 min (analytics.md); window from 2 d before onset (protocol 5th ed.); "
            "weights: health care 1 %, public transport 0.1 % (Luo et al. 2020)",
        },
    )


def unseed(apps, schema_editor):
    apps.get_model("companions", "CompanionRules").objects.filter(
        effective_from=dt.date(2020, 1, 1)
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("companions", "0001_initial")]
    operations = [migrations.RunPython(seed, unseed)]
