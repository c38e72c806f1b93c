"""Seed the default screening rule set: 24 h to visit, 1 h for arrivals from a key area
(R14, Hangzhou 2020-02-04), Hubei as the key area, and the 三清一管好 checklist."""

import datetime as dt

from django.db import migrations

CHECKLISTS = [
    {
        "name": "三清一管好",
        "items": [
            {"label": "底数清：推送人员全部上门", "numerator": "visited", "denominator": "pushed"},
            {"label": "去向清：无待分派例外", "numerator": "exceptions"},
            {"label": "时限清：无超时未访", "numerator": "overdue"},
            {"label": "管好：管控措施全部交接", "numerator": "handover_pending"},
        ],
    }
]


def seed(apps, schema_editor):
    rules = apps.get_model("screening", "ScreeningRules")
    rules.objects.get_or_create(
        effective_from=dt.date(2020, 1, 1),
        defaults={
            "default_due_hours": 24,
            "key_area_due_hours": 1,
            "key_areas": "湖北\n42",
            "checklists": CHECKLISTS,
            "note": "R14: Hangzhou notice 2020-02-04; village checklist 2020",
        },
    )


def unseed(apps, schema_editor):
    apps.get_model("screening", "ScreeningRules").objects.filter(
        effective_from=dt.date(2020, 1, 1)
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("screening", "0001_initial")]
    operations = [migrations.RunPython(seed, unseed)]
