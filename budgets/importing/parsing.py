"""Turning spreadsheet cells into budget values: table cells, amount cells, types, statuses, headers.

Every parser takes the raw cell (str, int, float, Decimal, None) and returns the value or raises
`CellError` with a message a finance officer can act on. Amounts are Decimal, never float. The
plain amount and financial year (`parse_amount`, `parse_financial_year`) are the budget line's
own, in `agreements.budget_values`, since the schedule's edit form reads them too.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from decimal import Decimal

from agreements.budget_values import CellError, NotAnAmount, parse_amount, text, to_amount, without_commas
from agreements.models import BudgetStatus, BudgetType


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
        amount = to_amount(without_commas(match.group("number"), raw), raw)
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


SCHEDULE_KEYS = ("schedule", "schedulenumber", "scheduleno")  # "Schedule", "Schedule number", "Schedule no."
_SCHEDULE_NUMBER = re.compile(r"(?:schedule|sch\.?)?\s*(\d{1,6})", re.I)


def parse_schedule_number(value) -> int:
    """6, 6.0, "6" or "Schedule 6" → 6."""
    if isinstance(value, bool):
        raise CellError(f"“{value}” is not a schedule number: write the number, for example 6.")
    raw = text(value)
    if not raw:
        raise CellError("Enter the schedule number, for example 6.")
    match = _SCHEDULE_NUMBER.fullmatch(raw)
    if match is None:
        raise CellError(f"“{raw}” is not a schedule number: write the number, for example 6.")
    return int(match.group(1))
