"""Old summaries (sentences in the actor's language) read back into events and parameters; see apps/audit/legacy.py."""

from django.db import migrations


def forwards(apps, schema_editor):
    from apps.audit.legacy import read_old_summaries

    read_old_summaries(apps.get_model("audit", "AuditEntry"), schema_editor.connection)


def backwards(apps, schema_editor):
    from apps.audit.legacy import write_summaries_back

    write_summaries_back(apps.get_model("audit", "AuditEntry"), schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [("audit", "0002_event_params")]

    operations = [migrations.RunPython(forwards, backwards, elidable=True)]
