"""Filters for the monitoring pages and report: pounds and per cent with their sign in words' order."""

from __future__ import annotations

from decimal import Decimal

from django import template

register = template.Library()


@register.filter
def pounds(value) -> str:
    """£1,234.50; −£1,234.50 (a true minus sign); blank for none."""
    if value is None or value == "":
        return ""
    amount = Decimal(str(value))
    return f"−£{-amount:,.2f}" if amount < 0 else f"£{amount:,.2f}"


@register.filter
def signed_pounds(value) -> str:
    """+£1,234.50 over, −£1,234.50 under, £0.00."""
    if value is None or value == "":
        return ""
    amount = Decimal(str(value))
    return f"+£{amount:,.2f}" if amount > 0 else pounds(amount)


@register.filter
def signed_percent(value) -> str:
    if value is None:
        return ""
    return f"+{value} %" if value > 0 else (f"−{-value} %" if value < 0 else "0.0 %")
