"""The ledger's indexes, once every item has its campaign (0002)."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("rectification", "0002_item_campaign_dimension"),
    ]

    operations = [
        migrations.AlterField(
            model_name="rectificationitem",
            name="campaign",
            field=models.ForeignKey(
                editable=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="campaigns.campaign",
                verbose_name="campaign",
            ),
        ),
        migrations.AddIndex(
            model_name="rectificationitem",
            index=models.Index(fields=["campaign", "problem", "id", "unit", "state", "deadline"],
                name="rect_item_ledger",),
        ),
        migrations.AddIndex(
            model_name="rectificationitem",
            index=models.Index(
                fields=["campaign", "state", "problem", "id"], name="rect_item_ledger_state"
            ),
        ),
        migrations.AddIndex(
            model_name="rectificationitem",
            index=models.Index(
                fields=["campaign", "unit", "problem", "id"], name="rect_item_ledger_unit"
            ),
        ),
        migrations.AddIndex(
            model_name="rectificationitem",
            index=models.Index(
                fields=["campaign", "dimension", "problem", "id"], name="rect_item_ledger_dim"
            ),
        ),
        migrations.AddIndex(
            model_name="rectificationitem",
            index=models.Index(
                fields=["campaign", "state", "deadline"], name="rect_item_ledger_deadline"
            ),
        ),
    ]
