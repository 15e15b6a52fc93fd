"""Filters for the monitoring pages and report: money (the kernel's one formatter) and per cent with their sign."""

from __future__ import annotations

from django import template

from documents.money import money, signed_money

register = template.Library()

register.filter("money", money)  # £1,234.50; −£1,200; blank for none
register.filter("signed_money", signed_money)  # +£1,234.50 over, −£1,234.50 under, £0


@register.filter
def signed_percent(value) -> str:
    if value is None:
        return ""
    return f"+{value} %" if value > 0 else (f"−{-value} %" if value < 0 else "0.0 %")
