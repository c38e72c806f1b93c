"""The one-time code model now lives in core (core 0003); state only, the table stays."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("public", "0003_rules_on_dated_base"),
        ("core", "0003_phonecode"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="PhoneCode")],
            database_operations=[],
        ),
    ]
