"""Room for the SM4-encrypted submitter's phone and e-mail (text columns) and their blind
indexes."""

from django.db import migrations, models

import biaoshuai.core.fields


class Migration(migrations.Migration):
    dependencies = [
        ("opinions", "0002_verbose_names"),
    ]

    operations = [
        migrations.AlterField(
            model_name="opinion",
            name="submitter_phone",
            field=models.TextField(blank=True, verbose_name="phone"),
        ),
        migrations.AlterField(
            model_name="opinion",
            name="submitter_email",
            field=models.TextField(blank=True, verbose_name="e-mail"),
        ),
        migrations.AddField(
            model_name="opinion",
            name="submitter_phone_index",
            field=biaoshuai.core.fields.BlindIndexField(
                db_index=True, default="", kind="phone", max_length=64, source="submitter_phone"
            ),
        ),
        migrations.AddField(
            model_name="opinion",
            name="submitter_email_index",
            field=biaoshuai.core.fields.BlindIndexField(
                db_index=True, default="", kind="email", max_length=64, source="submitter_email"
            ),
        ),
    ]
