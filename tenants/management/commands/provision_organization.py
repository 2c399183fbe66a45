from django.core.management.base import BaseCommand, CommandError

from apps.core.errors import ApplicationError
from tenants.services import organization_provision

# The service's field names that differ from the options'.
OPTIONS = {"default_vat_rate": "vat-rate"}


class Command(BaseCommand):
    help = "Provision a gym: schema, host and the owner's emailed invitation."

    def add_arguments(self, parser):
        parser.add_argument("--name", required=True)
        parser.add_argument("--slug", required=True)
        parser.add_argument("--owner-email", required=True)
        parser.add_argument("--timezone", default="UTC")
        parser.add_argument("--currency", default="USD")
        parser.add_argument("--vat-rate", default="0", help="Default VAT rate as a fraction, e.g. 0.1 for 10%%.")
        parser.add_argument("--seat-limit", default="10")

    def handle(self, *args, **options):
        try:
            organization, _token = organization_provision(
                name=options["name"],
                slug=options["slug"],
                owner_email=options["owner_email"],
                timezone_name=options["timezone"],
                currency=options["currency"],
                default_vat_rate=options["vat_rate"],
                seat_limit=options["seat_limit"],
            )
        except ApplicationError as error:
            # Every refused option at once, each named as it is typed on the command line.
            problems = [
                f"--{OPTIONS.get(field, field.replace('_', '-'))}: {message}" if field else message
                for field, messages in error.field_errors.items()
                for message in messages
            ]
            raise CommandError("\n".join(problems)) from None
        self.stdout.write(
            self.style.SUCCESS(
                f"Provisioned {organization.name} at {organization.absolute_url()}; "
                f"invitation sent to {organization.owner_email}."
            )
        )
