"""Turning spreadsheet cells into budget values: amounts, years, statuses, headers.

Every parser takes the raw cell (str, int, float, Decimal, None) and returns the value or raises
`CellError` with a message a finance officer can act on. Amounts are Decimal, never float.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from budgets.models import BudgetStatus, BudgetType, financial_year_label

PENNY = Decimal("0.01")
MAX_AMOUNT = Decimal("999999999999.99")  # BudgetLine.amount: 14 digits, 2 after the point
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


class CellError(ValueError):
    """A cell's value cannot be used; the message says why."""


class NotAnAmount(CellError):
    """A cell's text is not written as an amount at all (not merely a bad one, such as a negative)."""


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


def normalise(value) -> str:
    """For matching names and headers: case, spacing and punctuation around words ignored."""
    try:
        return _normalise_cached(value)
    except TypeError:  # a value that cannot be a cache key
        return _normalise(value)


def _normalise(value) -> str:
    return re.sub(r"[\s_]+", " ", text(value)).strip().casefold()


# A file repeats the same partners, types, statuses and services on every line: normalise each once.
_normalise_cached = functools.lru_cache(maxsize=16384, typed=True)(_normalise)


def header_key(value) -> str:
    """Headers are matched without regard to case, spacing or the "(£)" decoration."""
    return re.sub(r"[^a-z0-9]", "", text(value).casefold().replace("£", ""))


_AMOUNT_AT_START = re.compile(r"^\s*(£\s*)?(?P<number>\d[\d,]*(\.\d+)?)\b(?P<rest>.*)$", re.S)


def _to_decimal(number: str, original) -> Decimal:
    try:
        amount = Decimal(number)
    except InvalidOperation as error:
        raise CellError(f"“{original}” is not an amount in pounds.") from error
    if amount.as_tuple().exponent < -2:  # type: ignore[operator]
        raise CellError(f"“{original}” has more than 2 decimal places; amounts are in pounds and pence.")
    if amount > MAX_AMOUNT:
        raise CellError(f"“{original}” is larger than the largest amount we can hold (£999,999,999,999.99).")
    return amount.quantize(PENNY)


def _check_commas(number: str, original) -> str:
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
        return _to_decimal(str(value), value)
    raw = text(value)
    cleaned = raw.replace("\u00a0", " ").strip()
    if cleaned.startswith("-") or cleaned.startswith("(") or cleaned.startswith("£-") or cleaned.startswith("-£"):
        raise CellError(f"“{raw}” is negative; amounts cannot be negative.")
    cleaned = cleaned.removeprefix("£").strip()
    if cleaned.startswith("-"):
        raise CellError(f"“{raw}” is negative; amounts cannot be negative.")
    if not re.fullmatch(r"\d[\d,]*(\.\d+)?", cleaned):
        raise NotAnAmount(f"“{raw}” is not an amount in pounds: write a number such as 4388588 or £4,388,588.")
    return _to_decimal(_check_commas(cleaned, raw), raw)


@dataclass(frozen=True)
class TableCell:
    """What one cell of a schedule's budget table says."""

    amount: Decimal | None
    status: str
    notes: str


_TO_BE_AGREED = re.compile(r"\bto\s+be\s+(agreed|confirmed|determined)\b|\btba\b|\btbc\b", re.I)
_BLOCK = re.compile(r"\bblock\s+(contract|arrangement)s?\b", re.I)
_NOT_APPLICABLE = re.compile(r"^(not\s+applicable|n/?a|none)\.?$", re.I)


def status_from_note(note: str) -> str | None:
    if _TO_BE_AGREED.search(note):
        return BudgetStatus.TO_BE_AGREED
    if _BLOCK.search(note):
        return BudgetStatus.WITHIN_BLOCK
    return None


def parse_table_cell(value) -> TableCell | None:
    """A schedule-table cell: an amount, "Not applicable", a note, or an amount then a note.

    Returns None for an empty cell.
    """
    raw = text(value)
    if not raw:
        return None
    if not isinstance(value, str):
        return TableCell(parse_amount(value), BudgetStatus.CONFIRMED, "")
    if _NOT_APPLICABLE.match(raw):
        return TableCell(None, BudgetStatus.NOT_APPLICABLE, "")
    match = _AMOUNT_AT_START.match(raw.replace("\u00a0", " "))
    if match and (match.group(1) or not match.group("rest").strip() or "," in match.group("number")):
        amount = _to_decimal(_check_commas(match.group("number"), raw), raw)
        note = match.group("rest").strip(" \t\n-–—:;,")
        return TableCell(amount, status_from_note(note) or BudgetStatus.CONFIRMED, note)
    if raw.startswith("-") or raw.startswith("£-"):
        raise CellError(f"“{raw}” is negative; amounts cannot be negative.")
    status = status_from_note(raw)
    if status is None:
        raise NotAnAmount(
            f"“{raw}” is neither an amount, “Not applicable”, nor a note saying the amount is to be agreed "
            "or is part of a block contract."
        )
    return TableCell(None, status, raw)


@dataclass(frozen=True)
class AmountCell:
    """What a budget-lines Amount cell says: an amount, a status written in its place, or both and a note."""

    amount: Decimal | None
    status: str | None  # None: the cell names no status (blank, or only a number); the Status column decides
    notes: str


def parse_amount_cell(value) -> AmountCell:
    """A budget-lines Amount cell: 4388588, "£4,388,588", or words a finance officer writes in its place.

    Words are read as a schedule-table cell is (`parse_table_cell`): "To be agreed", "Not applicable",
    "N/A", "Within block contract", or "£840,000 to be agreed after the review" (an amount, then a
    note). A note that is only the status's own name ("To be agreed") is not kept as a note.
    """
    try:
        return AmountCell(parse_amount(value), None, "")
    except NotAnAmount:
        pass
    try:
        cell = parse_table_cell(value)
    except NotAnAmount:
        raise NotAnAmount(
            f"“{text(value)}” is not an amount in pounds or a status: write a number such as 4388588 or "
            "£4,388,588, or To be agreed, Not applicable or Within block contract."
        ) from None
    if cell is None:  # blank once trimmed
        return AmountCell(None, None, "")
    notes = cell.notes
    if notes and _choice_keys(_STATUSES).get(normalise(notes)) == cell.status:
        notes = ""  # "To be agreed" says the status and nothing more
    return AmountCell(cell.amount, None if cell.status == BudgetStatus.CONFIRMED else cell.status, notes)


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


@functools.lru_cache(maxsize=32)
def _choice_keys(choices: tuple) -> dict[str, str]:
    """normalised value or label → value; the first choice wins, as in reading the choices in order."""
    keys: dict[str, str] = {}
    for choice_value, label in choices:
        keys.setdefault(normalise(choice_value), choice_value)
        keys.setdefault(normalise(label), choice_value)
    return keys


def _choice(value, choices, what: str, default: str | None = None) -> str:
    raw = text(value)
    if not raw:
        if default is not None:
            return default
        raise CellError(f"Enter the {what}.")
    choice = _choice_keys(tuple(choices)).get(normalise(raw))
    if choice is not None:
        return choice
    allowed = ", ".join(f"“{label}”" for _, label in choices)
    raise CellError(f"“{raw}” is not a {what}: use one of {allowed}.")


_BUDGET_TYPES = tuple(BudgetType.choices)
_STATUSES = (*BudgetStatus.choices, (BudgetStatus.WITHIN_BLOCK.value, "Within block"),
             (BudgetStatus.TO_BE_AGREED.value, "TBA"), (BudgetStatus.TO_BE_AGREED.value, "TBC"),
             (BudgetStatus.TO_BE_AGREED.value, "To be confirmed"), (BudgetStatus.NOT_APPLICABLE.value, "N/A"))


def parse_budget_type(value) -> str:
    return _choice(value, _BUDGET_TYPES, "budget type")


def parse_status(value) -> str | None:
    """A status, or None when the cell is blank (the status then follows from the amount)."""
    if not text(value):
        return None
    return _choice(value, _STATUSES, "status")


def parse_yes_no(value) -> bool:
    key = normalise(value)
    if key in ("", "no", "n", "false", "0"):
        return False
    if key in ("yes", "y", "true", "1"):
        return True
    raise CellError(f"“{text(value)}” is not Yes or No.")
