"""Rectification's own notices move into the notifications app's inbox; the notice and
reminder tables go (a reminder's notices were written as notices, so nothing is lost)."""

from django.db import migrations


def notices_copy(apps, schema_editor):
    Notice = apps.get_model("rectification", "Notice")
    Notification = apps.get_model("notifications", "Notification")
    batch = []
    for notice in Notice.objects.order_by("pk").iterator(chunk_size=2000):
        kind = "rectification.plan" if "/plans/" in notice.link else "rectification.item"
        batch.append(
            Notification(
                recipient_id=notice.recipient_id,
                kind=kind,
                text=notice.text,
                url=notice.link,
                created_at=notice.created_at,
                read_at=notice.read_at,
            )
        )
        if len(batch) >= 2000:
            Notification.objects.bulk_create(batch)
            batch = []
    Notification.objects.bulk_create(batch)


class Migration(migrations.Migration):
    dependencies = [
        ("rectification", "0003_item_ledger_indexes"),
        ("notifications", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(notices_copy, migrations.RunPython.noop),
        migrations.DeleteModel(name="Notice"),
        migrations.DeleteModel(name="Reminder"),
    ]
