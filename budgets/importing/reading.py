"""Reading an uploaded .xlsx or .csv into rows, with limits on size and expansion.

What a file is goes by its content, never its name: an xlsx is a zip holding xl/workbook.xml; a
CSV is text whose lines are cells separated by commas, semicolons or tabs (`csv_delimiter`).
Anything else is refused as not a spreadsheet. A spreadsheet is refused before it is opened when
the upload is over 10 MB or when its parts would unpack to more than `MAX_UNCOMPRESSED_BYTES` (a
"zip bomb"); CSV is read as UTF-8, UTF-8 with a byte-order mark, or Windows-1252 (what Excel on a
UK machine saves as "CSV"). An xlsx cell holding a formula that was never calculated (no saved
value) is read as an `UnsavedFormula`, so the import can say so instead of reading it as blank.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections import Counter
from dataclasses import dataclass, field
from pathlib import PurePath

from agreements.budget_values import text
from budgets.importing.parsing import header_key
from budgets.importing.xlsx_cells import xlsx_values

MAX_FILE_BYTES = 10 * 1024 * 1024
MAX_UNCOMPRESSED_BYTES = 200 * 1024 * 1024
MAX_COMPRESSION_RATIO = 200  # ordinary xlsx parts compress 5-20 times
MAX_ROWS = 200_000
MAX_COLUMNS = 200
DELIMITERS = (",", ";", "\t")
SNIFF_RECORDS = 50  # rows read to judge whether text is delimiter-separated
HEADING_ROWS = 10  # the heading row is looked for among the first ten rows (as the import does)
CONSISTENT_SHARE = 0.9  # nine rows in ten with the same number of cells
# Control characters that never appear in text a spreadsheet writes (tab, newline, return and form feed do).
_BINARY = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")


class FileRefused(ValueError):
    """The file as a whole cannot be read; the message says why."""


def not_a_spreadsheet(filename: str, why: str = "") -> FileRefused:
    name = PurePath(filename).name or "The file"
    return FileRefused(f"{name} is not a spreadsheet: upload an xlsx or csv file.{f' {why}' if why else ''}")


@dataclass
class Sheet:
    """Rows of the first worksheet (or the CSV): (spreadsheet row number, cell values)."""

    kind: str  # "xlsx" or "csv"
    rows: list[tuple[int, tuple]] = field(default_factory=list)
    encoding: str = ""


def _is_blank(values) -> bool:
    return all(v is None or (isinstance(v, str) and not v.strip()) for v in values)


def check_zip(content: bytes, filename: str = "") -> None:
    """Refuse an xlsx whose parts would expand beyond a sane size, or a zip with no workbook in it."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
        infos = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError) as error:
        raise FileRefused("The file is not a spreadsheet we can read: it looks like a damaged .xlsx file.") from error
    total = 0
    for info in infos:
        total += info.file_size
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size > 1024 * 1024 and ratio > MAX_COMPRESSION_RATIO:
            raise FileRefused(
                f"The spreadsheet was refused: its part {info.filename} would expand {ratio:.0f} times to "
                f"{info.file_size // (1024 * 1024)} MB in memory, far beyond any real budget sheet."
            )
    if total > MAX_UNCOMPRESSED_BYTES:
        raise FileRefused(
            f"The spreadsheet was refused: it would expand to {total // (1024 * 1024)} MB in memory "
            f"(the limit is {MAX_UNCOMPRESSED_BYTES // (1024 * 1024)} MB)."
        )
    if "xl/workbook.xml" not in {info.filename for info in infos}:
        raise not_a_spreadsheet(filename, "It is a zip archive with no workbook (xl/workbook.xml) in it.")


def _read_xlsx(content: bytes, filename: str) -> Sheet:
    import openpyxl

    check_zip(content, filename)
    try:
        book = openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds for damaged files
        raise FileRefused("The file is not a spreadsheet we can read: save it as .xlsx or .csv and try again.") from error
    try:
        sheet = book.worksheets[0]
        sheet.reset_dimensions()
        result = Sheet(kind="xlsx")
        for number, values in xlsx_values(sheet, content):
            if number > MAX_ROWS:
                raise FileRefused(f"The spreadsheet has more than {MAX_ROWS:,} rows; split it into smaller files.")
            if len(values) > MAX_COLUMNS:
                values = values[:MAX_COLUMNS] if _is_blank(values[MAX_COLUMNS:]) else values
                if len(values) > MAX_COLUMNS:
                    raise FileRefused(f"Row {number} has more than {MAX_COLUMNS} columns.")
            if not _is_blank(values):
                result.rows.append((number, tuple(values)))
        return result
    finally:
        book.close()


def decode_text(content: bytes) -> tuple[str, str]:
    """UTF-8 (with or without BOM), else Windows-1252; returns (text, encoding name)."""
    if content.startswith(b"\xef\xbb\xbf"):
        return content[3:].decode("utf-8"), "UTF-8 with BOM"
    try:
        return content.decode("utf-8"), "UTF-8"
    except UnicodeDecodeError:
        pass
    try:
        return content.decode("cp1252"), "Windows-1252"
    except UnicodeDecodeError as error:
        raise FileRefused(
            "The file's text is in an encoding we cannot read: save it from Excel as “CSV UTF-8” and try again."
        ) from error


def _first_records(content: str, delimiter: str) -> list[list[str]]:
    """The first SNIFF_RECORDS non-blank rows of `content` split on `delimiter` (fewer where CSV breaks off)."""
    records: list[list[str]] = []
    reader = csv.reader(io.StringIO(content, newline=""), delimiter=delimiter)
    try:
        for values in reader:
            if not _is_blank(values):
                records.append(values)
                if len(records) >= SNIFF_RECORDS:
                    break
    except csv.Error:
        pass  # the full read reports it, with its row
    return records


def _is_heading_row(values) -> bool:
    """The heading row both layouts have: a “Service” heading and at least one other."""
    return any(header_key(value) == "service" for value in values) and sum(1 for v in values if text(v)) >= 2


def csv_delimiter(content: str) -> str | None:
    """The delimiter of text that is rows of cells separated by commas, semicolons or tabs; None for other text.

    Split on a delimiter, the text is a table when one of its first ten rows is the layouts' heading
    row (a “Service” heading and at least one other), or when its rows are consistently cells: at
    least two in each row, and nine rows in ten with the same number. Prose, markdown and the like
    are neither: their lines split into one cell, or into as many as each sentence has commas.
    Of the delimiters that fit, the one giving the heading row, then the most cells, wins.
    """
    best: tuple[tuple[bool, int], str] | None = None
    for delimiter in DELIMITERS:
        records = _first_records(content, delimiter)
        if not records:
            continue
        heading = next((values for values in records[:HEADING_ROWS] if _is_heading_row(values)), None)
        if heading is not None:
            score = (True, len(heading))
        else:
            width, count = Counter(len(values) for values in records).most_common(1)[0]
            if width < 2 or count < CONSISTENT_SHARE * len(records):
                continue
            score = (False, width)
        if best is None or score > best[0]:
            best = (score, delimiter)
    return None if best is None else best[1]


def _read_csv(content: bytes, filename: str) -> Sheet:
    if b"\x00" in content[:65536]:
        raise not_a_spreadsheet(filename)
    decoded, encoding = decode_text(content)
    if len(_BINARY.findall(decoded[:65536])) > max(10, len(decoded[:65536]) // 100):
        raise not_a_spreadsheet(filename)
    if not decoded.strip():
        raise FileRefused("The file is empty: row 1 should hold the column headings.")
    delimiter = csv_delimiter(decoded)
    if delimiter is None:
        raise not_a_spreadsheet(filename, "Its lines are not rows of cells separated by commas, semicolons or tabs.")
    result = Sheet(kind="csv", encoding=encoding)
    reader = csv.reader(io.StringIO(decoded, newline=""), delimiter=delimiter)
    try:
        for values in reader:
            number = reader.line_num
            if len(result.rows) >= MAX_ROWS:
                raise FileRefused(f"The file has more than {MAX_ROWS:,} rows; split it into smaller files.")
            if not _is_blank(values):
                result.rows.append((number, tuple(values)))
    except csv.Error as error:
        raise FileRefused(f"Row {reader.line_num} could not be read as CSV: {error}.") from error
    return result


def read_sheet(filename: str, content: bytes) -> Sheet:
    """The rows of an uploaded xlsx or CSV, judged by content; raises FileRefused for anything else."""
    size = len(content)
    if size == 0:
        raise FileRefused("The file is empty: row 1 should hold the column headings.")
    if size > MAX_FILE_BYTES:
        raise FileRefused(
            f"The file is {size / (1024 * 1024):.1f} MB; the largest file we accept is "
            f"{MAX_FILE_BYTES // (1024 * 1024)} MB."
        )
    if content.startswith(b"PK\x03\x04"):
        sheet = _read_xlsx(content, filename)
    elif content.startswith(b"\xd0\xcf\x11\xe0"):
        raise FileRefused("This is an old-style Excel .xls file: save it as .xlsx or .csv and try again.")
    elif content.lstrip()[:5].lower() in (b"%pdf-", b"<html", b"<!doc", b"<?xml"):
        raise not_a_spreadsheet(filename)
    else:
        sheet = _read_csv(content, filename)
    if not sheet.rows:
        raise FileRefused("The file is empty: row 1 should hold the column headings.")
    return sheet


