"""The surgical mask's standard is the standard's number, YY 0469 (医用外科口罩): the
seeded catalogue had "YY 0469 surgical", and the English word showed beside the item's
name on every Chinese page, in the briefing and in exports."""

from django.db import migrations

OLD, NEW = "YY 0469 surgical", "YY 0469"


def forwards(apps, schema_editor):  # type: ignore[no-untyped-def]
    apps.get_model("supplies", "Item").objects.filter(standard=OLD).update(standard=NEW)


def backwards(apps, schema_editor):  # type: ignore[no-untyped-def]
    apps.get_model("supplies", "Item").objects.filter(
        name="一次性医用外科口罩", standard=NEW
    ).update(standard=OLD)


class Migration(migrations.Migration):
    dependencies = [("supplies", "0006_rules_on_dated_base")]

    operations = [migrations.RunPython(forwards, backwards)]
