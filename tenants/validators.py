import re

from django.utils.translation import gettext as _

from apps.core.errors import ApplicationError

# Subdomains that the platform keeps for itself or that would confuse people and mail systems.
RESERVED_SLUGS = frozenset(
    {
        "www", "admin", "api", "app", "static", "media", "mail", "email", "smtp", "imap", "pop", "ftp",
        "public", "platform", "status", "help", "support", "docs", "blog", "dashboard", "login", "auth",
        "account", "accounts", "billing", "root", "test", "dev", "staging", "cdn", "assets", "ns1", "ns2",
        "template", "pool", "tenant", "system", "security", "localhost",
    }
)  # fmt: skip
SLUG_PATTERN = re.compile(r"^[a-z][a-z0-9-]{1,38}[a-z0-9]$")


def validate_slug(slug):
    if not SLUG_PATTERN.match(slug or "") or "--" in slug:
        raise ApplicationError(
            _(
                "Use 3 to 40 lowercase letters, digits and single hyphens, starting with a letter "
                "and ending with a letter or digit."
            ),
            {"field": "slug"},
        )
    if slug in RESERVED_SLUGS:
        raise ApplicationError(_("“%(slug)s” is reserved. Please choose another.") % {"slug": slug}, {"field": "slug"})


def schema_name_for_slug(slug):
    # Slugs never contain "_", so this mapping is one-to-one and never collides with pool_ or the template.
    return "gym_" + slug.replace("-", "_")
