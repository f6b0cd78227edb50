"""Room for SM4-encrypted phone and e-mail (text columns) and their blind indexes."""

from django.db import migrations, models

import biaoshuai.core.fields


class Migration(migrations.Migration):
    dependencies = [
        ("org", "0004_role_post_title"),
    ]

    operations = [
        migrations.AlterField(
            model_name="person",
            name="phone",
            field=models.TextField(blank=True, verbose_name="mobile phone"),
        ),
        migrations.AlterField(
            model_name="person",
            name="email",
            field=models.TextField(blank=True, verbose_name="e-mail"),
        ),
        migrations.AddField(
            model_name="person",
            name="phone_index",
            field=biaoshuai.core.fields.BlindIndexField(
                db_index=True, default="", kind="phone", max_length=64, source="phone"
            ),
        ),
        migrations.AddField(
            model_name="person",
            name="email_index",
            field=biaoshuai.core.fields.BlindIndexField(
                db_index=True, default="", kind="email", max_length=64, source="email"
            ),
        ),
    ]
