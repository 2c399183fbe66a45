"""Create (once) a demo gym with one member per role and a platform admin; print their logins.

Members join through the same invitation services as real trainers. Running it again changes nothing.
"""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db import connection
from django.utils import timezone
from django_tenants.utils import schema_context

from apps.demo.seed import seed_demo_content
from apps.team.services import invitation_accept
from tenants import schema_factory
from tenants.invitations import issue_invitation
from tenants.models import Organization, Role
from tenants.services import organization_provision

DEMO_SLUG = "demo"
DEMO_PASSWORD = "demo-pass-2026"  # noqa: S105  (a printed, development-only login)
ADMIN_EMAIL = "admin@platform.localhost"
MEMBERS = [
    (Role.OWNER, "owner@demo.localhost", "Olivia Owner"),
    (Role.SENIOR, "senior@demo.localhost", "Sam Senior"),
    (Role.TRAINER, "trainer@demo.localhost", "Tara Trainer"),
    (Role.ASSISTANT, "assistant@demo.localhost", "Alex Assistant"),
]


class Command(BaseCommand):
    help = "Create the demo gym and logins if they do not exist, then print the logins."

    def handle(self, *args, **options):
        connection.set_schema_to_public()
        User = get_user_model()
        if not User.objects.filter(email=ADMIN_EMAIL).exists():
            User.objects.create_superuser(email=ADMIN_EMAIL, password=DEMO_PASSWORD, full_name="Platform Admin")
        organization = Organization.objects.filter(slug=DEMO_SLUG).first()
        if organization is None:
            organization, _token = organization_provision(
                name="Demo Fitness Studio",
                slug=DEMO_SLUG,
                owner_email=MEMBERS[0][1],
                timezone_name="Asia/Seoul",
                currency="KRW",
                default_vat_rate="0.1000",
                seat_limit=20,
                send_invitation=False,
            )
        with schema_context(organization.schema_name):
            connection.set_tenant(organization)
            for role, email, name in MEMBERS:
                if User.objects.filter(email=email).exists():
                    continue
                pending = organization.invitations.pending().filter(email=email)
                pending.update(revoked_at=timezone.now())
                _invitation, token = issue_invitation(
                    organization=organization,
                    email=email,
                    role=role,
                    inviter_id=None,
                    inviter_name="Demo",
                    send=False,
                )
                invitation_accept(organization=organization, token=token, full_name=name, password=DEMO_PASSWORD)
            seed_demo_content()
        connection.set_schema_to_public()
        schema_factory.fill_pool()
        port = f":{settings.SITE_PORT}" if settings.SITE_PORT else ""
        scheme = settings.SITE_SCHEME
        self.stdout.write("")
        self.stdout.write(self.style.SUCCESS("Demo ready. Password for every login below: " + DEMO_PASSWORD))
        self.stdout.write(f"  Platform admin  {scheme}://{settings.BASE_DOMAIN}{port}/admin/   {ADMIN_EMAIL}")
        for role, email, _name in MEMBERS:
            self.stdout.write(f"  {role.label:<15} {organization.absolute_url('/accounts/login/')}   {email}")
        mail_folder = settings.MAILERS.get("default", {}).get("OPTIONS", {}).get("file_path")
        if mail_folder:
            # Invitations sent from the running demo: their links are printed whole, one per line.
            self.stdout.write(f"  Mail is printed below as it is sent, and kept in {mail_folder} (.txt beside .eml).")
        self.stdout.write("")
