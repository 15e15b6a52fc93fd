"""Parsing a return's values, shared by the table editor and the import: periods and signed amounts."""

from __future__ import annotations

import re
from decimal import Decimal

from agreements.budget_values import CellError, parse_amount, text
from budgets.monitoring.models import MONTHS
from documents.money import MINUS

_PLAIN_AMOUNT = re.compile(r"-?\d{1,12}(?:\.\d{1,2})?")  # "-1200.5": what a CSV export mostly holds
_PENNY = Decimal("0.01")
_PERIOD = re.compile(r"^(?:p|m|period|month)\s*(?P<n>\d{1,2})$", re.I)


def parse_period(value) -> int:
    """P1–P12 (April = P1); M6, Month 6, Period 6, Sep and September mean P6."""
    raw = text(value)
    if not raw:
        raise CellError("Enter the period, P1 (April) to P12 (March).")
    key = raw.strip().casefold()
    match = _PERIOD.match(key)
    number = int(match.group("n")) if match else None
    if number is None:
        for index, month in enumerate(MONTHS, start=1):
            if key in (month.casefold(), month[:3].casefold()):
                number = index
    if number is None or not 1 <= number <= 12:
        raise CellError(f"“{raw}” is not a period: use P1 (April) to P12 (March).")
    return number


def parse_signed_amount(value) -> Decimal | None:
    """An amount in pounds that may be a credit: -1,200.50, (1,200.50), £-1,200.50 or −£1,200.50 (as pages show it,
    with the minus sign) read as −£1,200.50."""
    if type(value) is str and _PLAIN_AMOUNT.fullmatch(value):  # plain digits: the same Decimal, without the detours
        return Decimal(value).quantize(_PENNY)
    if isinstance(value, (int, float, Decimal)) and not isinstance(value, bool) and value < 0:
        return -parse_amount(-value)
    raw = text(value).replace("\u00a0", " ").replace(MINUS, "-").strip()
    negative = False
    if raw.startswith("(") and raw.endswith(")"):
        raw, negative = raw[1:-1].strip(), True
    for sign in ("-", "£-", "-£"):
        if raw.startswith(sign):
            raw, negative = ("£" if "£" in sign else "") + raw[len(sign):].strip(), True
            break
    if negative and not raw:
        raise CellError(f"“{text(value)}” is not an amount in pounds.")
    amount = parse_amount(raw)
    return -amount if negative and amount is not None else amount
