"""hvdesigner's copied items on the system clipboard: a design fragment as JSON under its own
MIME type (and as text, for pasting into a note), read back only when it is one."""

from __future__ import annotations

import atexit
import json
from typing import Any

from PySide6.QtCore import QMimeData
from PySide6.QtWidgets import QApplication

from hvdesigner.fileformat.fragment import FRAGMENT_FORMAT

FRAGMENT_MIME = "application/x-hvdesigner-fragment"
#: What :func:`take` gives when the clipboard holds something else with our MIME type.
NOT_OURS: dict[str, Any] = {}


def put(fragment: dict[str, Any]) -> None:
    data = QMimeData()
    text = json.dumps(fragment)
    data.setData(FRAGMENT_MIME, text.encode())
    data.setText(text)
    QApplication.clipboard().setMimeData(data)


def take() -> dict[str, Any] | None:
    """The fragment on the clipboard; None when there is none, :data:`NOT_OURS` when what has
    our MIME type is not a fragment this program reads."""
    data = QApplication.clipboard().mimeData()
    if data is None or not data.hasFormat(FRAGMENT_MIME):
        return None
    try:
        fragment = json.loads(bytes(data.data(FRAGMENT_MIME).data()).decode())
    except ValueError:
        return NOT_OURS
    if not isinstance(fragment, dict) or fragment.get("format") != FRAGMENT_FORMAT:
        return NOT_OURS
    return fragment


def _release() -> None:
    """Take our copied fragment off the clipboard as Python exits: with PySide6 6.11, mime
    data the application put there makes the interpreter crash (SIGSEGV) at exit."""
    if QApplication.instance() is not None:
        data = QApplication.clipboard().mimeData()
        if data is not None and data.hasFormat(FRAGMENT_MIME):
            QApplication.clipboard().clear()


atexit.register(_release)
