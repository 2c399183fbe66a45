"""``sold_by`` and ``Payment.trainer`` become required once 0005 has filled them (a separate migration, so that the
NOT NULL change does not run in the transaction whose updates still have pending foreign-key trigger events)."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("training", "0005_attribution_and_cancellation")]

    operations = [
        migrations.AlterField(
            model_name="sessionpackage",
            name="sold_by",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="packages_sold",
                to="trainers.trainer",
                verbose_name="sold by",
            ),
        ),
        migrations.AlterField(
            model_name="payment",
            name="trainer",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="payments_taken",
                to="trainers.trainer",
                verbose_name="trainer",
            ),
        ),
    ]
