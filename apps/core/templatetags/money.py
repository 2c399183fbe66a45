"""``{% load money %}`` then ``{{ amount|money }}`` (the gym's currency) or ``{{ amount|money:"USD" }}``."""

from django import template

from apps.core.money import format_money

register = template.Library()


@register.filter
def money(amount, currency=None):
    """``₩50,000`` for 50000 in a KRW gym; an empty string for a missing or unreadable amount (never an error)."""
    if amount is None or amount == "":
        return ""
    try:
        return format_money(amount, currency)
    except ValueError:
        return ""
