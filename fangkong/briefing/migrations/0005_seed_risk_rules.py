"""R16 defaults as dated rule sets (issue #15): from 2020-02-09 on all confirmed cases;
from 2020-02-12 re-assessed on the confirmed cases of the last week. Weights, cut-offs
and bands are the platform's assumption (Zhejiang did not publish them)."""

import datetime as dt

from django.db import migrations

NOTE = "浙江五色图 %s; weights and cut-offs: platform defaults (assumption)"
SETS = [
    (dt.date(2020, 2, 9), 0, NOTE % "2020-02-09 cumulative"),
    (dt.date(2020, 2, 12), 7, NOTE % "2020-02-12 last week's cases"),
]


def seed(apps, schema_editor):
    rules = apps.get_model("briefing", "RiskRules")
    for day, count_days, note in SETS:
        rules.objects.get_or_create(
            effective_from=day, defaults={"count_days": count_days, "note": note[:200]}
        )


def unseed(apps, schema_editor):
    apps.get_model("briefing", "RiskRules").objects.filter(
        effective_from__in=[s[0] for s in SETS]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("briefing", "0004_risk_rules")]
    operations = [migrations.RunPython(seed, unseed)]
