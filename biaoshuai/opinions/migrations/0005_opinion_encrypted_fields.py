from django.db import migrations

import biaoshuai.core.fields


class Migration(migrations.Migration):
    dependencies = [
        ("opinions", "0004_encrypt_opinion_pii"),
    ]

    operations = [
        migrations.AlterField(
            model_name="opinion",
            name="submitter_phone",
            field=biaoshuai.core.fields.EncryptedCharField(
                blank=True, max_length=30, verbose_name="phone"
            ),
        ),
        migrations.AlterField(
            model_name="opinion",
            name="submitter_email",
            field=biaoshuai.core.fields.EncryptedEmailField(
                blank=True, max_length=254, verbose_name="e-mail"
            ),
        ),
    ]
