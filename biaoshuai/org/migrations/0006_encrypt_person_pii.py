"""Encrypt the cadres' phones and e-mail addresses with SM4 and fill their blind indexes
(PII_KEY and PII_INDEX_KEY, README "Personal data at rest"); backwards writes them plain."""

from django.db import migrations

from biaoshuai.core.fields import migrate_rows

FIELDS = {"phone": ("phone_index", "phone"), "email": ("email_index", "email")}


class Migration(migrations.Migration):
    dependencies = [
        ("org", "0005_person_pii_columns"),
    ]

    operations = [
        migrations.RunPython(
            migrate_rows("org", "Person", FIELDS),
            migrate_rows("org", "Person", FIELDS, decrypt_back=True),
        ),
    ]
