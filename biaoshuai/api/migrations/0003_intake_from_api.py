"""Opinion intake (pushes, idempotency keys, webhook deliveries, mailbox messages) moved to
the opinions app: only the state changes; the tables stay, with their rows and names."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('api', '0002_mailbox_sender_encrypted'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.RemoveField(
                    model_name='mailboxmessage',
                    name='opinion',
                ),
                migrations.RemoveField(
                    model_name='pushedopinion',
                    name='opinion',
                ),
                migrations.RemoveField(
                    model_name='pushedopinion',
                    name='token',
                ),
                migrations.RemoveField(
                    model_name='webhookdelivery',
                    name='opinion',
                ),
                migrations.RemoveField(
                    model_name='webhookdelivery',
                    name='token',
                ),
                migrations.DeleteModel(
                    name='IdempotencyKey',
                ),
                migrations.DeleteModel(
                    name='MailboxMessage',
                ),
                migrations.DeleteModel(
                    name='PushedOpinion',
                ),
                migrations.DeleteModel(
                    name='WebhookDelivery',
                ),
            ],
            database_operations=[],
        ),
    ]
