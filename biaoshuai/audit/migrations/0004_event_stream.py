"""Events carry the stream of the chain they link into (see audit/chain.py).

On SQLite adding the column rebuilds the table, which drops its append-only trigger
(0002): it is created again here. The stream heads are created up front (AUDIT_STREAMS):
a head created inside a writer's transaction would make the others wait for its commit.
"""

from django.db import migrations, models

TRIGGER = "audit_event_append_only"


def recreate_sqlite_trigger(apps, schema_editor):
    if schema_editor.connection.vendor != "sqlite":
        return
    table = apps.get_model("audit", "AuditEvent")._meta.db_table
    schema_editor.execute(f"DROP TRIGGER IF EXISTS {TRIGGER};")
    schema_editor.execute(
        f"CREATE TRIGGER {TRIGGER} BEFORE UPDATE ON {table} "
        "BEGIN SELECT RAISE(ABORT, 'audit events are append-only: UPDATE refused'); END;"
    )


def create_heads(apps, schema_editor):
    from django.conf import settings

    AuditHead = apps.get_model("audit", "AuditHead")
    streams = max(1, int(getattr(settings, "AUDIT_STREAMS", 1)))
    AuditHead.objects.bulk_create(
        [AuditHead(pk=n) for n in range(1, streams + 1)], ignore_conflicts=True
    )


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0003_hmac_sm3_chain"),
    ]

    operations = [
        migrations.AddField(
            model_name="auditevent",
            name="stream",
            field=models.PositiveSmallIntegerField(default=1),
        ),
        migrations.RunPython(recreate_sqlite_trigger, recreate_sqlite_trigger),
        migrations.RunPython(create_heads, migrations.RunPython.noop),
    ]
