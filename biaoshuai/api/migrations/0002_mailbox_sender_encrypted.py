"""The opinion mailbox's sender addresses are stored SM4-encrypted (README "Personal data
at rest"): a text column, the existing rows encrypted, then the encrypted field."""

from django.db import migrations, models

import biaoshuai.core.fields
from biaoshuai.core.fields import migrate_rows

FIELDS = {"sender": (None, "email")}


class Migration(migrations.Migration):
    dependencies = [
        ("api", "0001_initial"),
    ]

    operations = [
        migrations.AlterField(
            model_name="mailboxmessage",
            name="sender",
            field=models.TextField(blank=True),
        ),
        migrations.RunPython(
            migrate_rows("api", "MailboxMessage", FIELDS),
            migrate_rows("api", "MailboxMessage", FIELDS, decrypt_back=True),
        ),
        migrations.AlterField(
            model_name="mailboxmessage",
            name="sender",
            field=biaoshuai.core.fields.EncryptedEmailField(blank=True, max_length=254),
        ),
    ]
