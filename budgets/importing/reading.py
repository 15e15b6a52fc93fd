"""Reading an uploaded .xlsx or .csv into rows, with limits on size and expansion.

A spreadsheet is refused before it is opened when the upload is over 10 MB or when its parts
would unpack to more than `MAX_UNCOMPRESSED_BYTES` (a "zip bomb"); CSV is read as UTF-8, UTF-8
with a byte-order mark, or Windows-1252 (what Excel on a UK machine saves as "CSV").
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field

MAX_FILE_BYTES = 10 * 1024 * 1024
MAX_UNCOMPRESSED_BYTES = 200 * 1024 * 1024
MAX_COMPRESSION_RATIO = 200  # ordinary xlsx parts compress 5-20 times
MAX_ROWS = 200_000
MAX_COLUMNS = 200


class FileRefused(ValueError):
    """The file as a whole cannot be read; the message says why."""


@dataclass
class Sheet:
    """Rows of the first worksheet (or the CSV): (spreadsheet row number, cell values)."""

    kind: str  # "xlsx" or "csv"
    rows: list[tuple[int, tuple]] = field(default_factory=list)
    encoding: str = ""


def _is_blank(values) -> bool:
    return all(v is None or (isinstance(v, str) and not v.strip()) for v in values)


def check_zip(content: bytes) -> None:
    """Refuse an xlsx whose parts would expand beyond a sane size, before openpyxl sees it."""
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
        raise FileRefused("The file is not a spreadsheet we can read: save it as .xlsx or .csv and try again.")


def _fast_cell_parser():
    """openpyxl's worksheet parser, with its common cells read without building a `Text` per string.

    `iter_rows(values_only=True)` parses every inline string (how openpyxl and many tools write
    text) through `Text.from_tree`, which was most of the time reading a 10,000-line sheet. This
    reads the same value (the text, then the text of each rich-text run) straight from the XML,
    and leaves every other kind of cell (dates, errors, formulas) to openpyxl as it was.
    """
    from openpyxl.utils import coordinate_to_tuple
    from openpyxl.worksheet._reader import INLINE_STRING, WorkSheetParser
    from openpyxl.xml.constants import SHEET_MAIN_NS

    text_tag, run_tag = f"{{{SHEET_MAIN_NS}}}t", f"{{{SHEET_MAIN_NS}}}r"

    class FastCells(WorkSheetParser):
        def parse_cell(self, element):
            if element.get("t") != "inlineStr" or self.rich_text or not self.data_only:
                return super().parse_cell(element)
            coordinate = element.get("r")  # as openpyxl's parse_cell does
            if coordinate:
                row, column = coordinate_to_tuple(coordinate)
                self.col_counter = column
            else:
                self.col_counter += 1
                row, column = self.row_counter, self.col_counter
            style_id = element.get("s", 0)
            value, data_type = None, "inlineStr"
            child = element.find(INLINE_STRING)
            if child is not None and len(child) == 1 and child[0].tag == text_tag:  # the usual: <is><t>…</t></is>
                value, data_type = child[0].text or "", "s"
            elif child is not None:  # Text.from_tree(child).content: the text, then each run's text
                snippets = []
                plain = child.find(text_tag)
                if plain is not None and plain.text is not None:
                    snippets.append(plain.text)
                for run in child.iterfind(run_tag):
                    block = run.find(text_tag)
                    if block is not None and block.text is not None:
                        snippets.append(block.text)
                value, data_type = "".join(snippets), "s"
            return {"row": row, "column": column, "value": value, "data_type": data_type,
                    "style_id": int(style_id) if style_id else 0}

    return FastCells


def _xlsx_values(sheet) -> Iterator[tuple[int, tuple | list]]:
    """(row number, values) of a read-only worksheet, as `iter_rows(values_only=True)` gives them."""
    try:
        source = sheet._get_source()
        parser = _fast_cell_parser()(
            source, sheet._shared_strings, data_only=sheet.parent.data_only, epoch=sheet.parent.epoch,
            date_formats=sheet.parent._date_formats, timedelta_formats=sheet.parent._timedelta_formats,
        )
    except (AttributeError, ImportError, TypeError):  # another openpyxl: its own way, slower
        yield from enumerate(sheet.iter_rows(values_only=True), start=1)
        return
    expected = 1
    with source:
        for number, cells in parser.parse():
            while expected < number:  # rows the file leaves out are empty (openpyxl gives [] for them)
                yield expected, []
                expected += 1
            if expected > number:  # a row repeated or out of order: openpyxl ignores it too
                continue
            expected += 1
            if not cells:
                yield number, ()
                continue
            width = cells[-1]["column"]
            values = [None] * width
            for cell in cells:
                column = cell["column"]
                if 1 <= column <= width:
                    values[column - 1] = cell["value"]
            yield number, tuple(values)


def _read_xlsx(content: bytes) -> Sheet:
    import openpyxl

    check_zip(content)
    try:
        book = openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds for damaged files
        raise FileRefused("The file is not a spreadsheet we can read: save it as .xlsx or .csv and try again.") from error
    try:
        sheet = book.worksheets[0]
        sheet.reset_dimensions()
        result = Sheet(kind="xlsx")
        for number, values in _xlsx_values(sheet):
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


def _read_csv(content: bytes) -> Sheet:
    if b"\x00" in content[:4096]:
        raise FileRefused("The file is not a spreadsheet we can read: save it as .xlsx or .csv and try again.")
    text, encoding = decode_text(content)
    first_line = text.split("\n", 1)[0]
    delimiter = max([",", ";", "\t"], key=first_line.count)
    if first_line.count(delimiter) == 0:
        delimiter = ","
    result = Sheet(kind="csv", encoding=encoding)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
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
    """The rows of an uploaded .xlsx or .csv; raises FileRefused for anything else."""
    size = len(content)
    if size == 0:
        raise FileRefused("The file is empty: row 1 should hold the column headings.")
    if size > MAX_FILE_BYTES:
        raise FileRefused(
            f"The file is {size / (1024 * 1024):.1f} MB; the largest file we accept is "
            f"{MAX_FILE_BYTES // (1024 * 1024)} MB."
        )
    name = filename.lower()
    if content.startswith(b"PK\x03\x04"):
        sheet = _read_xlsx(content)
    elif content.startswith(b"\xd0\xcf\x11\xe0"):
        raise FileRefused("This is an old-style Excel .xls file: save it as .xlsx or .csv and try again.")
    elif name.endswith((".xlsx", ".xlsm", ".xls", ".ods", ".pdf", ".docx", ".doc", ".zip", ".png", ".jpg")):
        raise FileRefused("The file is not a spreadsheet we can read: save it as .xlsx or .csv and try again.")
    elif content.lstrip()[:5].lower() in (b"%pdf-", b"<html", b"<!doc", b"<?xml"):
        raise FileRefused("The file is not a spreadsheet we can read: save it as .xlsx or .csv and try again.")
    else:
        sheet = _read_csv(content)
    if not sheet.rows:
        raise FileRefused("The file is empty: row 1 should hold the column headings.")
    return sheet


def iter_records(sheet: Sheet, header_index: int) -> Iterator[tuple[int, tuple]]:
    yield from sheet.rows[header_index + 1:]
