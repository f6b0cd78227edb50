"""Accounts' e-mail addresses are stored SM4-encrypted (README "Personal data at rest"):
a text column, the existing rows encrypted, then the encrypted field."""

from django.db import migrations, models

import biaoshuai.core.fields
from biaoshuai.core.fields import migrate_rows

FIELDS = {"email": (None, "email")}


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0004_loginlog_reason_delayed"),
    ]

    operations = [
        migrations.AlterField(
            model_name="user",
            name="email",
            field=models.TextField(blank=True, verbose_name="email address"),
        ),
        migrations.RunPython(
            migrate_rows("accounts", "User", FIELDS),
            migrate_rows("accounts", "User", FIELDS, decrypt_back=True),
        ),
        migrations.AlterField(
            model_name="user",
            name="email",
            field=biaoshuai.core.fields.EncryptedEmailField(
                blank=True, max_length=254, verbose_name="email address"
            ),
        ),
    ]
