"""The Qt-free layers never import Qt: the checker and the CLI run without a display."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).parents[1] / "hvdesigner"
QT_FREE = ["model", "rules", "capacity", "fileformat", "exporters/findings.py", "exporters/report.py", "exporters/markdown.py",
           "exporters/svg.py", "exporters/formats.py", "canvas/looks.py", "canvas/tokens.py",
           "exporters/terminal.py", "exporters/locations.py", "exporters/drawio.py",
           "exporters/pptx.py", "exporters/capacity.py",
           "editing/edits.py", "editing/defaults.py",
           "editing/clipboard.py", "editing/layout.py", "editing/ops.py", "editing/vocabulary.py"]
QT = ("PySide6", "pyqtgraph", "shiboken6")


def _modules(part: str) -> list[Path]:
    path = PACKAGE / part
    return sorted(path.rglob("*.py")) if path.is_dir() else [path]


@pytest.mark.parametrize("part", QT_FREE)
def test_qt_free_layers_import_no_qt(part: str) -> None:
    for module in _modules(part):
        for node in ast.walk(ast.parse(module.read_text())):
            names = ([a.name for a in node.names] if isinstance(node, ast.Import)
                     else [node.module or ""] if isinstance(node, ast.ImportFrom) else [])
            for name in names:
                assert not name.startswith(QT), f"{module.relative_to(PACKAGE)} imports {name}"


def test_checking_from_the_command_line_loads_no_qt() -> None:
    code = (
        "import sys, hvdesigner.cli, hvdesigner.fileformat.schema, hvdesigner.capacity.bandwidth;"
        f"bad = [m for m in sys.modules if m.split('.')[0] in {QT!r}];"
        "print(bad); sys.exit(1 if bad else 0)"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
