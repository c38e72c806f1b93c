"""The audit log is append-only: the database itself refuses to rewrite an entry.

Deletion stays possible for the retention job and for test-database flushes; rewriting
who saw what never is.
"""

from django.db import migrations

PG_UP = """
CREATE OR REPLACE FUNCTION fangkong_audit_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'the audit log is append-only';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER auditlog_logentry_no_update BEFORE UPDATE ON auditlog_logentry
    FOR EACH ROW EXECUTE FUNCTION fangkong_audit_append_only();
"""
PG_DOWN = """
DROP TRIGGER IF EXISTS auditlog_logentry_no_update ON auditlog_logentry;
DROP FUNCTION IF EXISTS fangkong_audit_append_only();
"""
SQLITE_UP = """
CREATE TRIGGER auditlog_logentry_no_update BEFORE UPDATE ON auditlog_logentry
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
"""
SQLITE_DOWN = "DROP TRIGGER IF EXISTS auditlog_logentry_no_update;"


def forwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(PG_UP)
    elif vendor == "sqlite":
        schema_editor.execute(SQLITE_UP)


def backwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(PG_DOWN)
    elif vendor == "sqlite":
        schema_editor.execute(SQLITE_DOWN)


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0001_initial"),
        ("auditlog", "0017_add_actor_email"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
