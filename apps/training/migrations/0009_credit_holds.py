"""Credits held at booking: the columns. The holds of existing bookings are computed by 0009, and only then does
0010 add the check constraint ``booked + used <= total`` (each step in its own transaction)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("training", "0008_reminders_and_calendar_feed"),
    ]

    operations = [
        migrations.AddField(
            model_name="session",
            name="holds_credit",
            field=models.BooleanField(default=False, verbose_name="holds a credit"),
        ),
        migrations.AddField(
            model_name="sessionpackage",
            name="booked_sessions",
            field=models.PositiveSmallIntegerField(default=0, verbose_name="sessions booked"),
        ),
    ]
