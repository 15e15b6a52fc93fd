"""Budget import: parsing cells, reading files, previewing and confirming.

    from budgets.importing import build_preview, budget_lines_import
"""

from budgets.importing.preview import ImportPreview, RowError, build_preview
from budgets.importing.services import (
    ImportConflict,
    ImportRefused,
    ImportResult,
    LinesWritten,
    budget_lines_import,
    budget_lines_write,
)

__all__ = [
    "ImportConflict", "ImportPreview", "ImportRefused", "ImportResult", "LinesWritten", "RowError",
    "budget_lines_import", "budget_lines_write", "build_preview",
]
