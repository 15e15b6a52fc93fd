"""Budget import: parsing cells, reading files, previewing and confirming.

    from budgets.importing import build_preview, budget_lines_import
"""

from budgets.importing.preview import ImportPreview, RowError, build_preview
from budgets.importing.services import ImportConflict, ImportRefused, ImportResult, budget_lines_import

__all__ = [
    "ImportConflict", "ImportPreview", "ImportRefused", "ImportResult", "RowError", "budget_lines_import",
    "build_preview",
]
