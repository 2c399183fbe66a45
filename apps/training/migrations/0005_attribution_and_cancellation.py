"""Who sold each package, who took each payment, and who cancelled each session (historical attribution).

Existing rows get the package's trainer as their seller and as the payment's trainer: before this migration a
transfer moved active packages, so that is the best record there is. Existing cancellations are classified from
what was stored: a cancellation that used a credit, or whose status changed inside the gym's cut-off
(``late_cancellation_hours`` of the organization, 24 when unknown), was late; the others were the client's.
"""

import django.db.models.deletion
from django.db import connection, migrations, models


def fill(apps, schema_editor):
    hours = getattr(getattr(connection, "tenant", None), "late_cancellation_hours", 24)
    if hours is None:
        hours = 24
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("UPDATE training_sessionpackage SET sold_by_id = trainer_id WHERE sold_by_id IS NULL")
        cursor.execute(
            "UPDATE training_payment p SET trainer_id = k.trainer_id FROM training_sessionpackage k "
            "WHERE p.package_id = k.id AND p.trainer_id IS NULL"
        )
        cursor.execute(
            "UPDATE training_session SET cancellation = CASE WHEN used_credit OR (status_changed_at IS NOT NULL "
            "AND starts_at - status_changed_at < make_interval(hours => %s)) THEN 'late' ELSE 'client' END "
            "WHERE status = 'cancelled' AND cancellation = ''",
            [int(hours)],
        )


class Migration(migrations.Migration):
    dependencies = [
        ("trainers", "0004_api_key"),
        ("training", "0004_api_list_order"),
    ]

    operations = [
        migrations.AddField(
            model_name="sessionpackage",
            name="sold_by",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="packages_sold",
                to="trainers.trainer",
                verbose_name="sold by",
            ),
        ),
        migrations.AddField(
            model_name="payment",
            name="trainer",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="payments_taken",
                to="trainers.trainer",
                verbose_name="trainer",
            ),
        ),
        migrations.AddField(
            model_name="session",
            name="cancellation",
            field=models.CharField(
                blank=True,
                choices=[
                    ("client", "Cancelled by the client"),
                    ("late", "Cancelled late"),
                    ("trainer", "Cancelled by the trainer"),
                ],
                default="",
                max_length=8,
                verbose_name="cancellation",
            ),
            preserve_default=False,
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
