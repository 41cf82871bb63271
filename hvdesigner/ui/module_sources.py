"""Memory PySide6 keeps for nothing: the source text of every module imported after it.

PySide6's support for its optional features (``shibokensupport.feature``) reads the source of
each module imported after PySide6, with ``inspect.getsource``, to see whether it uses
PySide6; ``linecache`` keeps every line read. Once the designer's modules are imported that is
17 MB (measured on the 5,000-host design: 431 → 414 MB with its badges on), kept for a
traceback that may never come, and ``linecache`` reads a file again when one does. So the
lines are dropped after the window's imports, and after a lazy import (pyqtgraph).
"""

from __future__ import annotations

import linecache


def forget() -> None:
    """Drop the module sources ``linecache`` holds (it reads them again when needed)."""
    linecache.clearcache()
