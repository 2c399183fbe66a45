from decimal import Decimal

from django.core.management.base import BaseCommand, CommandError

from apps.core.errors import ApplicationError
from tenants.services import organization_provision


class Command(BaseCommand):
    help = "Provision a gym: schema, host and the owner's emailed invitation."

    def add_arguments(self, parser):
        parser.add_argument("--name", required=True)
        parser.add_argument("--slug", required=True)
        parser.add_argument("--owner-email", required=True)
        parser.add_argument("--timezone", default="UTC")
        parser.add_argument("--currency", default="USD")
        parser.add_argument("--vat-rate", default="0", help="Default VAT rate as a fraction, e.g. 0.1 for 10%%.")
        parser.add_argument("--seat-limit", type=int, default=10)

    def handle(self, *args, **options):
        try:
            organization, _token = organization_provision(
                name=options["name"],
                slug=options["slug"],
                owner_email=options["owner_email"],
                timezone_name=options["timezone"],
                currency=options["currency"],
                default_vat_rate=Decimal(options["vat_rate"]),
                seat_limit=options["seat_limit"],
            )
        except ApplicationError as error:
            field = f" ({error.field})" if error.field else ""
            raise CommandError(f"{error.message}{field}") from None
        self.stdout.write(
            self.style.SUCCESS(
                f"Provisioned {organization.name} at {organization.absolute_url()}; "
                f"invitation sent to {organization.owner_email}."
            )
        )
