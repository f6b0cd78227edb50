"""Reminders (催办) become notices in the notifications app, one per liaison reminded; the
task's history keeps the reminder itself."""

from django.db import migrations


def reminders_copy(apps, schema_editor):
    Reminder = apps.get_model("supervision", "Reminder")
    Notification = apps.get_model("notifications", "Notification")
    Through = Reminder.recipients.through
    reminders = Reminder.objects.select_related("task", "task__item").in_bulk()
    batch = []
    for row in Through.objects.order_by("pk").iterator(chunk_size=2000):
        reminder = reminders[row.reminder_id]
        subject = reminder.task.item.subject[:100]
        text = f"催办：{subject}" + (f" — {reminder.note}" if reminder.note else "")
        batch.append(
            Notification(
                recipient_id=row.user_id,
                kind="supervision.remind",
                text=text[:300],
                url=f"/supervision/tasks/{reminder.task_id}/",
                actor_id=reminder.sent_by_id,
                campaign_id=reminder.task.item.campaign_id,
                created_at=reminder.sent_at,
            )
        )
    Notification.objects.bulk_create(batch, batch_size=2000)


class Migration(migrations.Migration):
    dependencies = [
        ("supervision", "0003_alter_bulletin_return_reason"),
        ("notifications", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(reminders_copy, migrations.RunPython.noop),
        migrations.DeleteModel(name="Reminder"),
    ]
