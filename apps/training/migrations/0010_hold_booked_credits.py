"""The sessions booked before holds existed take their credits (``apps.training.holds_backfill``): per package, the
earliest bookings up to the credits free; on an overbooked package the rest stay booked but unheld, are listed in
this migration's output and by ``manage.py report_overbooked_packages``, and show a warning on their pages."""

from django.db import connection, migrations

from apps.training.holds_backfill import hold_booked_credits


def forwards(apps, schema_editor):
    outcome = hold_booked_credits(apps.get_model("training", "Session"), apps.get_model("training", "SessionPackage"))
    if outcome.sessions_held or outcome.overbooked:
        schema = getattr(connection, "schema_name", "")
        for line in outcome.lines():
            print(f"  [{schema}] {line}")


def backwards(apps, schema_editor):
    # The columns go with 0008; nothing else to undo.
    pass


class Migration(migrations.Migration):
    dependencies = [
        ("training", "0009_credit_holds"),
    ]

    operations = [
        migrations.RunPython(forwards, backwards, elidable=False),
    ]
