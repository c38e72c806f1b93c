"""Default rest rules (劳逸结合): shifts of at most 12 hours, at most 12 hours on duty in
any 24 hours, at most 6 days in a row, at least 8 hours of rest between shifts."""

import datetime as dt

from django.db import migrations


def seed(apps, schema_editor):  # type: ignore[no-untyped-def]
    rules = apps.get_model("mobilisation", "RestRuleSet")
    rules.objects.get_or_create(
        effective_from=dt.date(2020, 1, 1),
        defaults={
            "max_shift_hours": 12,
            "max_hours_per_24h": 12,
            "max_consecutive_days": 6,
            "min_rest_hours": 8,
            "note": "Care for front-line workers (劳逸结合), February 2020",
        },
    )


class Migration(migrations.Migration):
    dependencies = [("mobilisation", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
