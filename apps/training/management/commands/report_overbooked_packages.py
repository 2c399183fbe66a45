"""List, per gym, the packages with bookings that hold no credit (left by the migration ``hold_booked_credits`` on
packages that were already overbooked), so the gym can move or cancel the extra sessions."""

from django.core.management.base import BaseCommand
from django_tenants.utils import get_public_schema_name, tenant_context

from apps.training.holds_backfill import unheld_bookings
from apps.training.models import Session, SessionPackage
from tenants.models import Organization


class Command(BaseCommand):
    help = "List the packages whose bookings outnumber their free credits (unheld bookings), per gym."

    def add_arguments(self, parser):
        parser.add_argument("--gym", help="Only this gym (its slug).")

    def handle(self, *args, **options):
        organizations = Organization.objects.exclude(schema_name=get_public_schema_name()).order_by("slug")
        if options["gym"]:
            organizations = organizations.filter(slug=options["gym"])
        total = 0
        for organization in organizations:
            with tenant_context(organization):
                found = unheld_bookings(Session, SessionPackage)
            if not found:
                continue
            self.stdout.write(f"{organization.slug}: {len(found)} overbooked package(s)")
            for item in found:
                self.stdout.write(
                    f"  package #{item.package_id} “{item.name}” (client #{item.client_id}): {item.total} sessions, "
                    f"{item.used} used, {item.scheduled} booked, {item.held} holding a credit; unheld sessions: "
                    + ", ".join(f"#{pk}" for pk in item.unheld_session_ids)
                )
            total += len(found)
        if not total:
            self.stdout.write("No overbooked package.")
