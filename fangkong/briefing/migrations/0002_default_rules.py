"""The default briefing rule set: cut-off 08:00, Rt over 60 days with a 7-day window and
the serial interval of Bi et al. (6.3 ± 4.2 d), doubling time over 14 days, a 14-day
forecast — from the start of the Level I response (R18, 2020-01-23)."""

import datetime as dt
from decimal import Decimal

from django.db import migrations


def seed(apps, schema_editor):  # type: ignore[no-untyped-def]
    BriefingRules = apps.get_model("briefing", "BriefingRules")
    BriefingRules.objects.get_or_create(
        effective_from=dt.date(2020, 1, 23),
        defaults={
            "cutoff": dt.time(8, 0),
            "history_days": 60,
            "rt_window": 7,
            "si_mean": Decimal("6.3"),
            "si_sd": Decimal("4.2"),
            "si_source": "Bi Q et al., Lancet Infect Dis 2020;20:911 (Shenzhen)",
            "growth_days": 14,
            "forecast_days": 14,
            "note": "platform defaults (docs/analytics.md)",
        },
    )


def unseed(apps, schema_editor):  # type: ignore[no-untyped-def]
    apps.get_model("briefing", "BriefingRules").objects.filter(
        effective_from=dt.date(2020, 1, 23)
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("briefing", "0001_initial")]
    operations = [migrations.RunPython(seed, unseed)]
