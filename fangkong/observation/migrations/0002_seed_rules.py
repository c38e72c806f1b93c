"""The default observation rule set (R2–R6), in force from the start of the epidemic."""

import datetime as dt
from decimal import Decimal

from django.db import migrations


def seed(apps, schema_editor):
    Rules = apps.get_model("observation", "ObservationRules")
    Rules.objects.get_or_create(
        effective_from=dt.date(2020, 1, 1),
        defaults={
            "days": 14,
            "morning_start": dt.time(6, 0),
            "morning_end": dt.time(12, 0),
            "evening_start": dt.time(16, 0),
            "evening_end": dt.time(22, 0),
            "fever_threshold": Decimal("37.3"),
            "min_temperature": Decimal("34.0"),
            "max_temperature": Decimal("43.0"),
            "referral_symptoms": ["fever", "cough", "shortness_of_breath", "diarrhoea"],
            "negative_test_required": False,
            "note": "National protocol: R2 14 days, R3 twice daily, R4 37.3 °C, R5, R6",
        },
    )


def unseed(apps, schema_editor):
    Rules = apps.get_model("observation", "ObservationRules")
    Rules.objects.filter(effective_from=dt.date(2020, 1, 1)).delete()


class Migration(migrations.Migration):
    dependencies = [("observation", "0001_initial")]
    operations = [migrations.RunPython(seed, unseed)]
