"""How a package's end date reads to the trainer: "Expires in 3 days", "Expires today", "Expired on 2 Dec 2026".

Days are the gym's (``gym_today``): a package is usable through its last day and expires after it.
"""

from datetime import date

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from apps.core.dates import format_date, gym_today

from .models import PackageStatus, SessionPackage

#: The "expiring soon" windows the trainer can pick, in days; the page and the dashboard use the default.
EXPIRING_WINDOWS = (7, 14, 30)
EXPIRING_DEFAULT_DAYS = 14


def days_until_expiry(package: SessionPackage, today: date | None = None) -> int | None:
    """Days from the gym's today to the package's last day (0: its last day is today; negative: past), or None for a
    package without an end date."""
    if package.expires_on is None:
        return None
    return (package.expires_on - (today or gym_today())).days


def expiry_phrase(package: SessionPackage, today: date | None = None) -> str:
    """The end date in words for an active or expired package; "" when it says nothing useful (no end date, used up,
    cancelled)."""
    days = days_until_expiry(package, today)
    if days is None or package.status not in (PackageStatus.ACTIVE, PackageStatus.EXPIRED):
        return ""
    if package.status == PackageStatus.EXPIRED or days < 0:
        return _("Expired on %(day)s") % {"day": format_date(package.expires_on)}  # type: ignore[arg-type]
    if days == 0:
        return _("Expires today")
    return ngettext("Expires in %(days)d day", "Expires in %(days)d days", days) % {"days": days}
