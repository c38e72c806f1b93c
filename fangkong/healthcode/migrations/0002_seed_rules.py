"""R11/R12 defaults: Zhejiang health code (Feb 2020) and Hangzhou's return to green
(2020-02-11): 7 normal check-ins for yellow, 14 days and 14 check-ins for red."""

import datetime as dt
from decimal import Decimal

from django.db import migrations


def seed(apps, schema_editor):
    Rules = apps.get_model("healthcode", "CodeRules")
    Rules.objects.get_or_create(
        effective_from=dt.date(2020, 2, 11),
        defaults={
            "post_discharge_days": 14,
            "high_risk_days": 14,
            "medium_risk_days": 14,
            "possible_contact_days": 14,
            "red_days": 14,
            "red_checkins": 14,
            "yellow_checkins": 7,
            "fever_threshold": Decimal("37.3"),
            "qr_seconds": 120,
            "note": "Zhejiang health code R11; Hangzhou 2020-02-11 R12",
        },
    )


def unseed(apps, schema_editor):
    apps.get_model("healthcode", "CodeRules").objects.filter(
        effective_from=dt.date(2020, 2, 11)
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("healthcode", "0001_initial")]
    operations = [migrations.RunPython(seed, unseed)]
