"""A budget line's values read from what a person writes: amounts in pounds and financial years.

Pure functions of one value, no database. They live beside the budget line (in agreements)
because the schedule's edit form reads years and amounts exactly as the budget import reads
spreadsheet cells ("2018/19", "£4,388,588"); `budgets.importing.parsing` builds the rest of the
import's cell parsing on them. Each takes the raw value (str, int, float, Decimal, None) and
returns the value or raises `CellError` with a message a finance officer can act on. Amounts
are Decimal, never float.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

PENNY = Decimal("0.01")
MAX_AMOUNT = Decimal("999999999999.99")  # BudgetLine.amount: 14 digits, 2 after the point
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")  # a text cell starting so is escaped on export


class CellError(ValueError):
    """A cell's value cannot be used; the message says why."""


class NotAnAmount(CellError):
    """A cell's text is not written as an amount at all (not merely a bad one, such as a negative)."""


def financial_year_label(start_year: int) -> str:
    """2018 -> "2018/19": the financial year that runs April 2018 to March 2019."""
    return f"{start_year}/{(start_year + 1) % 100:02d}"


def text(value) -> str:
    """A cell as trimmed text; None is ""; an export's formula escape (a leading ') is undone."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    result = str(value).strip()
    if result.startswith("'") and result[1:2] in FORMULA_PREFIXES:
        result = result[1:]
    return result


def to_amount(number: str, original) -> Decimal:
    """Digits already stripped of "£" and commas -> the amount in pounds and pence.

    `original` is what was written, for the message. Public because the import's table cells
    ("£840,000 to be agreed") read their leading amount with it too.
    """
    try:
        amount = Decimal(number)
    except InvalidOperation as error:
        raise CellError(f"“{original}” is not an amount in pounds.") from error
    if amount.as_tuple().exponent < -2:  # type: ignore[operator]
        raise CellError(f"“{original}” has more than 2 decimal places; amounts are in pounds and pence.")
    if amount > MAX_AMOUNT:
        raise CellError(f"“{original}” is larger than the largest amount we can hold (£999,999,999,999.99).")
    return amount.quantize(PENNY)


def without_commas(number: str, original) -> str:
    """"4,388,588" -> "4388588"; commas anywhere but between thousands are refused, not guessed at."""
    whole = number.split(".")[0]
    if "," in whole and not re.fullmatch(r"\d{1,3}(,\d{3})+", whole):
        raise CellError(f"“{original}” has its commas in the wrong places.")
    return number.replace(",", "")


def parse_amount(value) -> Decimal | None:
    """12, 12.5, "£4,388,588", "£ 443,441.00", "4388588.00" → Decimal; blank → None."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, bool):
        raise CellError(f"“{value}” is not an amount in pounds.")
    if isinstance(value, (int, float, Decimal)):
        if isinstance(value, float) and value != value:  # NaN
            raise CellError("The amount is not a number.")
        if value < 0:
            raise CellError(f"“{value}” is negative; amounts cannot be negative.")
        return to_amount(str(value), value)
    raw = text(value)
    cleaned = raw.replace("\u00a0", " ").strip()
    if cleaned.startswith("-") or cleaned.startswith("(") or cleaned.startswith("£-") or cleaned.startswith("-£"):
        raise CellError(f"“{raw}” is negative; amounts cannot be negative.")
    cleaned = cleaned.removeprefix("£").strip()
    if cleaned.startswith("-"):
        raise CellError(f"“{raw}” is negative; amounts cannot be negative.")
    if not re.fullmatch(r"\d[\d,]*(\.\d+)?", cleaned):
        raise NotAnAmount(f"“{raw}” is not an amount in pounds: write a number such as 4388588 or £4,388,588.")
    return to_amount(without_commas(cleaned, raw), raw)


_YEAR = re.compile(r"^(?:fy\s*)?(?P<start>\d{4})\s*[/\-–]\s*(?P<end>\d{2}|\d{4})$", re.I)


def parse_financial_year(value) -> int:
    """2017/18, 2017-18 and 2017/2018 → 2017 (the financial year April 2017 to March 2018)."""
    raw = text(value)
    if not raw:
        raise CellError("Enter the financial year, such as 2018/19.")
    match = _YEAR.match(raw)
    if not match:
        raise CellError(f"“{raw}” is not a financial year: write it as 2018/19, 2018-19 or 2018/2019.")
    start = int(match.group("start"))
    end = match.group("end")
    expected = f"{(start + 1) % 100:02d}" if len(end) == 2 else str(start + 1)
    if end != expected:
        raise CellError(
            f"“{raw}” is not a financial year: a financial year runs April to March, "
            f"so it would be {financial_year_label(start)}."
        )
    if not 1990 <= start <= 2100:
        raise CellError(f"“{raw}” is outside the years we hold (1990/91 to 2100/01).")
    return start
