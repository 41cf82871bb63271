"""Renaming in place: F2 or a double-click puts an editor over a name on the canvas.

Enter (or clicking elsewhere) keeps the new name, Esc keeps the old one; the rename itself is
an intent (``edits.rename``), so an empty name is refused with the reason like any edit.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QFocusEvent, QKeyEvent
from PySide6.QtWidgets import QLineEdit, QWidget


class InlineRename(QLineEdit):
    """A line edit over the canvas that calls ``commit`` with the text once, or never."""

    def __init__(self, parent: QWidget, rect: QRect, text: str, commit: Callable[[str], object]) -> None:
        super().__init__(text, parent)
        self.setObjectName("inline-rename")
        self._commit: Callable[[str], object] | None = commit
        self.setGeometry(rect)
        self.selectAll()
        self.show()
        self.setFocus(Qt.FocusReason.OtherFocusReason)
        self.returnPressed.connect(self.finish)

    def finish(self) -> None:
        commit, self._commit = self._commit, None
        self.hide()
        self.deleteLater()
        if commit is not None:
            commit(self.text())  # (an empty name is refused, with the reason)

    def cancel(self) -> None:
        self._commit = None
        self.hide()
        self.deleteLater()

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        if event.key() == Qt.Key.Key_Escape:
            self.cancel()
            parent = self.parentWidget()
            if parent is not None:
                parent.setFocus()
            return
        super().keyPressEvent(event)

    def focusOutEvent(self, event: QFocusEvent) -> None:  # noqa: N802
        super().focusOutEvent(event)
        if self._commit is not None:
            self.finish()
