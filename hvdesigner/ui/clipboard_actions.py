"""The window's Copy, Cut, Paste and Delete: the selection to and from the system clipboard
(ui/system_clipboard.py) as design fragments (editing/clipboard.py), each an undo step."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtGui import QCursor

from hvdesigner.editing import clipboard, edits
from hvdesigner.ui import system_clipboard

if TYPE_CHECKING:
    from hvdesigner.ui.main_window import MainWindow

    _Base = MainWindow
else:
    _Base = object


class ClipboardActions(_Base):
    """The MainWindow's clipboard actions (mixed into it)."""

    def cursor_scene_pos(self) -> tuple[float, float] | None:
        """Where the mouse is on the canvas, if it is over it (paste lands there)."""
        assert self.view is not None
        local = self.view.viewport().mapFromGlobal(QCursor.pos())
        if not self.view.viewport().rect().contains(local):
            return None
        at = self.view.mapToScene(local)
        return (at.x(), at.y())

    def delete_selection(self) -> None:
        assert self.document is not None
        self.document.do(edits.delete, self.selected_ids())

    def copy(self) -> None:
        assert self.document is not None
        ids = self.selected_ids()
        if not ids:
            return
        system_clipboard.put(clipboard.copy(self.document.design, ids))

    def cut(self) -> None:
        self.copy()
        self.delete_selection()

    def paste(self, at: tuple[float, float] | None = None) -> None:
        """Paste copies at ``at``, else at the mouse when it is over the canvas, else beside
        the originals."""
        assert self.document is not None and self.scene is not None
        fragment = system_clipboard.take()
        if fragment is None:
            return
        if fragment is system_clipboard.NOT_OURS:
            self.statusBar().showMessage("The clipboard holds no hvdesigner items.", 6000)
            return
        self.scene.select_after(self.document.do(clipboard.paste, fragment,
                                                 at if at is not None else self.cursor_scene_pos()))
