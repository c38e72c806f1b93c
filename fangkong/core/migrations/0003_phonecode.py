"""The one-time code table moves from the public app to core (issue #22: phone codes on
the ground floor). State only: the table keeps its name, public_phonecode."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0002_auditlog_append_only"),
        ("public", "0003_rules_on_dated_base"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="PhoneCode",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        ("phone_index", models.CharField(db_index=True, max_length=32)),
                        ("code_digest", models.CharField(max_length=32)),
                        ("sent_at", models.DateTimeField()),
                        ("expires_at", models.DateTimeField()),
                        ("attempts", models.PositiveSmallIntegerField(default=0)),
                        ("used_at", models.DateTimeField(blank=True, null=True)),
                    ],
                    options={"db_table": "public_phonecode"},
                ),
            ],
            database_operations=[],
        ),
    ]
