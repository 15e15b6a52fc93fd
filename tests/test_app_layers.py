"""The apps stack: each imports only itself and the apps below it (README, "Layout"; docs/architecture.md).

Read from the source with `ast`, as a reviewer would: every `import` and `from … import` in an
app's modules, at any depth (a function-level import is still an import), migrations aside
(they name other apps' migrations by design). A lower app that must name a higher one uses a
string model reference or a registration, never an import.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

# Lowest first. An app may import from the apps before it, never from one after it.
STACK = ["partnerships", "documents", "agreements", "budgets", "governance"]
# budgets and governance sit side by side on agreements: neither imports the other.
SIDE_BY_SIDE = {frozenset({"budgets", "governance"})}


def imported_apps(app: str, root: Path = ROOT) -> dict[str, list[str]]:
    """{other app: [files importing it]} for one app's source, migrations excluded."""
    found: dict[str, list[str]] = {}
    for path in sorted((root / app).rglob("*.py")):
        if "migrations" in path.parts:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            else:
                continue
            for name in names:
                top = name.split(".")[0]
                if top in STACK and top != app:
                    found.setdefault(top, []).append(str(path.relative_to(root)))
    return found


@pytest.mark.parametrize("app", STACK)
def test_an_app_imports_only_the_apps_below_it(app):
    below = set(STACK[: STACK.index(app)])
    wrong = {
        other: files for other, files in imported_apps(app).items()
        if other not in below or frozenset({app, other}) in SIDE_BY_SIDE
    }
    assert not wrong, f"{app} imports apps that are not below it: {wrong}"


def test_the_checker_sees_imports_inside_functions(tmp_path):
    """The reader must see a function-level import, the usual way a loop hides."""
    app = tmp_path / "documents"
    app.mkdir()
    (app / "late.py").write_text("def f():\n    from agreements.models import Schedule\n    return Schedule\n")
    (app / "migrations").mkdir()
    (app / "migrations" / "0001.py").write_text("import governance\n")
    assert imported_apps("documents", tmp_path) == {"agreements": ["documents/late.py"]}
