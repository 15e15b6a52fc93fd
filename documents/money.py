"""Money as people read it, written one way on every page, preview, report, PDF and history diff.

"£4,388,588" for whole pounds, "£1,234.50" when there are pence, "−£12,000" for a negative
amount (a true minus sign, U+2212, before the pound sign), and "" for no figure. Amounts are
rounded to the penny (half up) first, so 12.001 reads "£12". The API keeps its own decimal
strings ("4388588.00"); spreadsheets keep numbers with a number format (`budgets.spreadsheets`).
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

MINUS = "\u2212"  # −, the minus sign: what GOV.UK style and typesetting use for negative numbers
PENNY = Decimal("0.01")


def _amount(value) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        amount = Decimal(str(value))
    except InvalidOperation:
        raise ValueError(f"{value!r} is not an amount of money") from None
    if not amount.is_finite():
        raise ValueError(f"{value!r} is not an amount of money")
    return amount.quantize(PENNY, rounding=ROUND_HALF_UP)


def _unsigned(amount: Decimal) -> str:
    amount = abs(amount)
    if amount == amount.to_integral_value():
        return f"£{amount:,.0f}"
    return f"£{amount:,.2f}"


def money(value) -> str:
    """£4,388,588; £1,234.50; −£12,000; "" for None or ""."""
    amount = _amount(value)
    if amount is None:
        return ""
    return f"{MINUS}{_unsigned(amount)}" if amount < 0 else _unsigned(amount)


def signed_money(value) -> str:
    """A difference, with its sign: +£1,234.50 over, −£1,234.50 under, £0 for none; "" for no figure."""
    amount = _amount(value)
    if amount is None:
        return ""
    return f"+{_unsigned(amount)}" if amount > 0 else money(amount)
