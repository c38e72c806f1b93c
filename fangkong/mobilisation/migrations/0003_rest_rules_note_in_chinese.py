"""The seeded rest rule set's note in Chinese (it showed in English on the rules page)."""

import datetime as dt

from django.db import migrations

ENGLISH = "Care for front-line workers (劳逸结合), February 2020"
CHINESE = "关心关爱一线工作人员（劳逸结合），2020年2月"


def forward(apps, schema_editor):  # type: ignore[no-untyped-def]
    rules = apps.get_model("mobilisation", "RestRuleSet")
    rules.objects.filter(effective_from=dt.date(2020, 1, 1), note=ENGLISH).update(note=CHINESE)


def backward(apps, schema_editor):  # type: ignore[no-untyped-def]
    rules = apps.get_model("mobilisation", "RestRuleSet")
    rules.objects.filter(effective_from=dt.date(2020, 1, 1), note=CHINESE).update(note=ENGLISH)


class Migration(migrations.Migration):
    dependencies = [("mobilisation", "0002_seed_rest_rules")]

    operations = [migrations.RunPython(forward, backward)]
