"""The database itself refuses to change audit events, not only the application.

PostgreSQL: a row-level trigger refuses UPDATE and DELETE. TRUNCATE is a statement-level
operation that row-level triggers do not see, so Django's test flush (TRUNCATE) still works;
revoking TRUNCATE from the application's database role is an operations task.

SQLite: a trigger refuses UPDATE only. Django flushes SQLite databases with DELETE (between
transactional tests and live-server tests), so a DELETE trigger would break the test suite;
deletes are refused by the application (model and queryset) and detected by `audit_verify`.
"""

from django.db import migrations

PG_FUNCTION = "audit_event_refuse_change"
TRIGGER = "audit_event_append_only"


def create_triggers(apps, schema_editor):
    table = apps.get_model("audit", "AuditEvent")._meta.db_table
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(
            f"""
            CREATE OR REPLACE FUNCTION {PG_FUNCTION}() RETURNS trigger AS $$
            BEGIN
                RAISE EXCEPTION 'audit events are append-only: % refused', TG_OP;
            END;
            $$ LANGUAGE plpgsql;
            """,
            params=None,  # the % above is PL/pgSQL's, not a query parameter
        )
        schema_editor.execute(
            f"CREATE TRIGGER {TRIGGER} BEFORE UPDATE OR DELETE ON {table} "
            f"FOR EACH ROW EXECUTE FUNCTION {PG_FUNCTION}();"
        )
    elif vendor == "sqlite":
        schema_editor.execute(
            f"CREATE TRIGGER {TRIGGER} BEFORE UPDATE ON {table} "
            "BEGIN SELECT RAISE(ABORT, 'audit events are append-only: UPDATE refused'); END;"
        )


def drop_triggers(apps, schema_editor):
    table = apps.get_model("audit", "AuditEvent")._meta.db_table
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {TRIGGER} ON {table};")
        schema_editor.execute(f"DROP FUNCTION IF EXISTS {PG_FUNCTION}();")
    elif vendor == "sqlite":
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {TRIGGER};")


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial")]

    operations = [migrations.RunPython(create_triggers, drop_triggers)]
