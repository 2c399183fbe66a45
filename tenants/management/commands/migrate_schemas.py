"""migrate_schemas that only visits schemas with something pending, template and pool included.

django-tenants runs the migrate command once per schema even when nothing is pending, which costs
seconds per hundred gyms. Here one query decides which schemas are behind; only those are migrated.
"""

from django.db import connection
from django_tenants.management.commands.migrate_schemas import MigrateSchemasCommand
from django_tenants.utils import get_public_schema_name, get_tenant_model, schema_exists

from tenants import schema_factory


class Command(MigrateSchemasCommand):
    def handle(self, *args, **options):
        full_tenant_run = (
            not options.get("schema_name")
            and not options.get("shared")
            and not options.get("app_label")
            and not options.get("fake")
            and not options.get("plan")
            and not options.get("check_unapplied")
        )
        if not full_tenant_run:
            return super().handle(*args, **options)

        if not options.get("tenant"):
            # Public schema first, exactly as django-tenants does it.
            super().handle(*args, **{**options, "shared": True, "tenant": False})
            connection.set_schema_to_public()

        template = schema_factory.template_schema_name()
        if not schema_exists(template):
            schema_factory.ensure_template()
        gym_schemas = list(
            get_tenant_model()
            .objects.exclude(schema_name=get_public_schema_name())
            .values_list("schema_name", flat=True)
        )
        candidates = [template, *gym_schemas, *schema_factory.pooled_schema_names()]
        pending = schema_factory.schemas_with_pending_migrations(candidates)
        verbosity = int(options.get("verbosity", 1))
        if verbosity >= 1:
            self.stdout.write(f"{len(pending)} of {len(candidates)} tenant schemas have pending migrations.")
        for schema_name in pending:
            super().handle(*args, **{**options, "schema_name": schema_name, "shared": False, "tenant": True})
            connection.set_schema_to_public()
        if pending:
            schema_factory.mark_pool_current()
