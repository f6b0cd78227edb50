"""Opinion intake (pushes, idempotency keys, webhook deliveries, mailbox messages) comes
from the api app: the models take over the existing tables (db_table), so no row moves."""

import biaoshuai.core.fields
import django.db.models.deletion
import django.utils.timezone
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('api', '0003_intake_from_api'),
        ('opinions', '0006_public_submission'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='MailboxMessage',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('message_id', models.CharField(max_length=500, unique=True)),
                        ('sender', biaoshuai.core.fields.EncryptedEmailField(blank=True, max_length=254)),
                        ('subject', models.CharField(blank=True, max_length=300)),
                        ('note', models.CharField(blank=True, max_length=300)),
                        ('received_at', models.DateTimeField(default=django.utils.timezone.now)),
                        ('opinion', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='opinions.opinion')),
                    ],
                    options={
                        'db_table': 'api_mailboxmessage',
                        'ordering': ['-received_at', '-id'],
                    },
                ),
                migrations.CreateModel(
                    name='IdempotencyKey',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('key', models.CharField(max_length=200)),
                        ('request_hash', models.CharField(max_length=64)),
                        ('status', models.PositiveSmallIntegerField(default=0)),
                        ('response', models.JSONField(default=dict)),
                        ('created_at', models.DateTimeField(default=django.utils.timezone.now)),
                        ('token', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='api.apitoken')),
                    ],
                    options={
                        'db_table': 'api_idempotencykey',
                        'constraints': [models.UniqueConstraint(fields=('token', 'key'), name='api_idempotency_unique')],
                    },
                ),
                migrations.CreateModel(
                    name='PushedOpinion',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('external_id', models.CharField(blank=True, max_length=100)),
                        ('tracking_code', models.CharField(blank=True, max_length=20)),
                        ('created_at', models.DateTimeField(default=django.utils.timezone.now)),
                        ('opinion', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='api_push', to='opinions.opinion')),
                        ('token', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='pushed', to='api.apitoken')),
                    ],
                    options={
                        'db_table': 'api_pushedopinion',
                        'constraints': [models.UniqueConstraint(condition=models.Q(('external_id', ''), _negated=True), fields=('token', 'external_id'), name='api_push_unique_external_id')],
                    },
                ),
                migrations.CreateModel(
                    name='WebhookDelivery',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('event', models.CharField(max_length=50)),
                        ('payload', models.JSONField(default=dict)),
                        ('state', models.CharField(choices=[('pending', 'Waiting'), ('delivered', 'Delivered'), ('failed', 'Given up')], default='pending', max_length=20)),
                        ('attempts', models.PositiveSmallIntegerField(default=0)),
                        ('next_attempt_at', models.DateTimeField(blank=True, db_index=True, null=True)),
                        ('last_status', models.PositiveSmallIntegerField(blank=True, null=True)),
                        ('last_error', models.TextField(blank=True)),
                        ('delivered_at', models.DateTimeField(blank=True, null=True)),
                        ('created_at', models.DateTimeField(default=django.utils.timezone.now)),
                        ('opinion', models.ForeignKey(null=True, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='opinions.opinion')),
                        ('token', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='deliveries', to='api.apitoken')),
                    ],
                    options={
                        'db_table': 'api_webhookdelivery',
                        'ordering': ['-created_at', '-id'],
                        'indexes': [models.Index(fields=['state', 'next_attempt_at'], name='api_webhook_state_d9c596_idx')],
                    },
                ),
            ],
            database_operations=[],
        ),
    ]
