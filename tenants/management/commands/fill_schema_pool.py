from django.core.management.base import BaseCommand

from tenants import schema_factory


class Command(BaseCommand):
    help = "Top up the pool of pre-built gym schemas (and drop any built from an older template)."

    def add_arguments(self, parser):
        parser.add_argument("--size", type=int, default=None)

    def handle(self, *args, **options):
        created = schema_factory.fill_pool(options["size"])
        self.stdout.write(f"Pool topped up: {created} schema(s) built.")
