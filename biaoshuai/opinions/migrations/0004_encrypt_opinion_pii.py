"""Encrypt the submitters' phones and e-mail addresses with SM4 and fill their blind
indexes (README "Personal data at rest"); backwards writes them plain."""

from django.db import migrations

from biaoshuai.core.fields import migrate_rows

FIELDS = {
    "submitter_phone": ("submitter_phone_index", "phone"),
    "submitter_email": ("submitter_email_index", "email"),
}


class Migration(migrations.Migration):
    dependencies = [
        ("opinions", "0003_opinion_pii_columns"),
    ]

    operations = [
        migrations.RunPython(
            migrate_rows("opinions", "Opinion", FIELDS),
            migrate_rows("opinions", "Opinion", FIELDS, decrypt_back=True),
        ),
    ]
