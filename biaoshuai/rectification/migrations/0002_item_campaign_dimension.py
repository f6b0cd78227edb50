"""Items repeat their problem's campaign and dimension, for the ledger's indexes.

The fields are filled here; 0003 makes `campaign` required and adds the indexes, in a
transaction of its own (PostgreSQL refuses to alter a table with pending FK checks).
"""

import django.db.models.deletion
from django.db import migrations, models
from django.db.models import OuterRef, Subquery


def copy_from_problems(apps, schema_editor):
    """One UPDATE, whatever the number of items."""
    Item = apps.get_model("rectification", "RectificationItem")
    Problem = apps.get_model("rectification", "Problem")
    problem = Problem.objects.filter(pk=OuterRef("problem_id"))
    Item.objects.update(
        campaign_id=Subquery(problem.values("campaign_id")[:1]),
        dimension=Subquery(problem.values("dimension")[:1]),
    )


class Migration(migrations.Migration):
    dependencies = [
        ("campaigns", "0002_plan_step_stage"),
        ("rectification", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="rectificationitem",
            name="campaign",
            field=models.ForeignKey(
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="campaigns.campaign",
                verbose_name="campaign",
            ),
        ),
        migrations.AddField(
            model_name="rectificationitem",
            name="dimension",
            field=models.CharField(
                blank=True, default="", editable=False, max_length=50, verbose_name="dimension"
            ),
            preserve_default=False,
        ),
        migrations.RunPython(copy_from_problems, migrations.RunPython.noop, elidable=True),
    ]
