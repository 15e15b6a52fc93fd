"""An xlsx worksheet's cell values, read fast: the one module that uses openpyxl's private parser.

`fast_cell_parser` subclasses `openpyxl.worksheet._reader.WorkSheetParser`, and `xlsx_values`
reads a read-only worksheet's private source and shared strings to drive it. openpyxl is pinned
to the release range this is written against (pyproject.toml: `openpyxl>=3.1,<3.2`), and
`tests/budgets/test_fast_path.py` fails loudly if the installed openpyxl no longer takes the fast
path, rather than letting an upgrade fall back silently to `openpyxl_values` (the same values by
openpyxl's public `iter_rows`, several times slower on a 10,000-line sheet). Both paths give a
formula cell with no saved value as an `UnsavedFormula`, so the import can say so instead of
reading it as blank; a test holds the two paths to the same rows for every shared budget file.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from dataclasses import dataclass


@dataclass(frozen=True)
class UnsavedFormula:
    """An xlsx cell holding a formula with no saved value: the program that wrote the file never calculated it.

    openpyxl reads such a cell (with data_only) as None, as if it were blank.
    """

    formula: str  # as written, with its "=": '=HYPERLINK("http://…","click")'

    def __str__(self) -> str:
        return self.formula


def _formula_text(formula) -> str:
    """A formula as openpyxl gives it (text, ArrayFormula or DataTableFormula) as the text written in the cell."""
    if isinstance(formula, str):
        return formula
    written = getattr(formula, "text", None)
    return written if isinstance(written, str) and written else "=TABLE(…)"


def fast_cell_parser():
    """openpyxl's worksheet parser, with its common cells read without building a `Text` per string.

    `iter_rows(values_only=True)` parses every inline string (how openpyxl and many tools write
    text) through `Text.from_tree`, which was most of the time reading a 10,000-line sheet. This
    reads the same value (the text, then the text of each rich-text run) straight from the XML,
    and leaves every other kind of cell (dates, errors) to openpyxl as it was, except a formula
    with no saved value, which it gives as an `UnsavedFormula` where openpyxl gives None.
    """
    from openpyxl.utils import coordinate_to_tuple
    from openpyxl.worksheet._reader import FORMULA_TAG, INLINE_STRING, VALUE_TAG, WorkSheetParser
    from openpyxl.xml.constants import SHEET_MAIN_NS

    text_tag, run_tag = f"{{{SHEET_MAIN_NS}}}t", f"{{{SHEET_MAIN_NS}}}r"

    class FastCells(WorkSheetParser):
        def parse_cell(self, element):
            kind = element.get("t")
            if kind != "inlineStr" and self.data_only:
                formula = element.find(FORMULA_TAG)
                if formula is not None:
                    # No value saved, and not a text result (t="str": a formula that gives "" saves <v></v>).
                    if not element.findtext(VALUE_TAG) and kind != "str":
                        cell = super().parse_cell(element)
                        cell["value"] = UnsavedFormula(_formula_text(self.parse_formula(element)))
                        return cell
                    if formula.get("t") == "shared" and formula.text:
                        self.parse_formula(element)  # remember it, for the cells that share it
            if kind != "inlineStr" or self.rich_text or not self.data_only:
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


def openpyxl_values(sheet, content: bytes) -> Iterator[tuple[int, tuple]]:
    """(row number, values) by openpyxl's own `iter_rows`, slower, for an openpyxl the fast path does not know.

    openpyxl reads a formula with no saved value as None; the same sheet read for its formulas
    says which of those cells hold one, so they are given as `UnsavedFormula`, as the fast path gives them.
    """
    import openpyxl

    formulas_book = openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=False)
    try:
        formulas = formulas_book.worksheets[0]
        formulas.reset_dimensions()
        # The same XML read twice gives rows and cells in step; strict=False only so a surprise cannot crash.
        rows = zip(sheet.iter_rows(), formulas.iter_rows(values_only=True), strict=False)
        for number, (cells, written) in enumerate(rows, start=1):
            yield number, tuple(
                UnsavedFormula(_formula_text(formula)) if cell.value is None and cell.data_type != "str"
                and _is_formula(formula) else cell.value
                for cell, formula in zip(cells, written, strict=False)
            )
    finally:
        formulas_book.close()


def _is_formula(value) -> bool:
    """A value openpyxl (without data_only) gives for a formula cell: "=…", an ArrayFormula or a DataTableFormula."""
    if isinstance(value, str):
        return value.startswith("=")
    return type(value).__name__ in ("ArrayFormula", "DataTableFormula")


def xlsx_values(sheet, content: bytes) -> Iterator[tuple[int, tuple | list]]:
    """(row number, values) of a read-only worksheet, as `iter_rows(values_only=True)` gives them,
    but with each formula that has no saved value given as an `UnsavedFormula`."""
    try:
        source = sheet._get_source()
        parser = fast_cell_parser()(
            source, sheet._shared_strings, data_only=sheet.parent.data_only, epoch=sheet.parent.epoch,
            date_formats=sheet.parent._date_formats, timedelta_formats=sheet.parent._timedelta_formats,
        )
    except (AttributeError, ImportError, TypeError):  # another openpyxl: its own way, slower
        yield from openpyxl_values(sheet, content)
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
