"""``{% load package_expiry %}`` then ``{{ package|expiry_phrase }}``: "Expires in 3 days", "Expires today"..."""

from django import template

from ..expiry import days_until_expiry
from ..expiry import expiry_phrase as phrase

register = template.Library()


@register.filter
def expiry_phrase(package):
    return phrase(package) if package is not None else ""


@register.filter
def days_left(package):
    """Days from the gym's today to the package's last day (0 on its last day); "" without an end date."""
    days = days_until_expiry(package) if package is not None else None
    return "" if days is None else days
