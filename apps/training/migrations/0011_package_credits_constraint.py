"""``booked + used <= total`` in the database, once 0009 has made it true for every existing package."""

import django.db.models.expressions
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("training", "0010_hold_booked_credits"),
    ]

    operations = [
        migrations.AddConstraint(
            model_name="sessionpackage",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("booked_sessions__gte", 0),
                    (
                        "total_sessions__gte",
                        django.db.models.expressions.CombinedExpression(
                            models.F("booked_sessions"), "+", models.F("used_sessions")
                        ),
                    ),
                ),
                name="package_booked_and_used_within_total",
            ),
        ),
    ]
