from django.db import migrations

import biaoshuai.core.fields
import biaoshuai.org.validators


class Migration(migrations.Migration):
    dependencies = [
        ("org", "0006_encrypt_person_pii"),
    ]

    operations = [
        migrations.AlterField(
            model_name="person",
            name="phone",
            field=biaoshuai.core.fields.EncryptedCharField(
                blank=True,
                max_length=20,
                validators=[biaoshuai.org.validators.validate_mobile],
                verbose_name="mobile phone",
            ),
        ),
        migrations.AlterField(
            model_name="person",
            name="email",
            field=biaoshuai.core.fields.EncryptedEmailField(
                blank=True, max_length=254, verbose_name="e-mail"
            ),
        ),
    ]
