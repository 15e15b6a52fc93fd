"""Text as every versioned document stores it: one line-ending form, no control characters.

Browsers post textarea text with CRLF line breaks, spreadsheets and old files may carry a lone
CR, and a pasted text can hold control characters that mean nothing on a page but end a string
in CSS. Every write path runs text through `clean_text`, so a field the user did not touch
compares equal to what is stored and never shows in the history. `same_content` compares two
document dicts the same way, so a revision recorded before this rule (holding CRLF) does not
make an untouched save look like a change.
"""

from __future__ import annotations

import re
from typing import Any

TEXT_LIMIT = 100_000
"""The most characters one text field may hold (about 15,000 words; a long service
specification is 40,000). Longer text is refused with a message naming the field."""

# C0 and C1 control characters except tab (\x09) and newline (\x0a); CR is handled first.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def clean_text(value: str) -> str:
    """`value` with CRLF and lone CR as LF, and every other control character but tab removed."""
    if "\r" in value:
        value = value.replace("\r\n", "\n").replace("\r", "\n")
    return _CONTROL.sub("", value)


def too_long(value: str, label: str) -> str | None:
    """The message for a text over TEXT_LIMIT characters, or None when it fits."""
    if len(value) <= TEXT_LIMIT:
        return None
    return (
        f"{label} is too long: {len(value):,} characters. The most one field can hold is {TEXT_LIMIT:,}; "
        "split it into sections or paragraphs."
    )


def cleaned(value: Any) -> Any:
    """A document dict (or any part of one) with every string run through `clean_text`."""
    if isinstance(value, str):
        return clean_text(value)
    if isinstance(value, dict):
        return {key: cleaned(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [cleaned(item) for item in value]
    return value


def same_content(old: Any, new: Any) -> bool:
    """Whether two document dicts hold the same content, line endings and control characters aside."""
    return old == new or cleaned(old) == cleaned(new)
