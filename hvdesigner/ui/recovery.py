"""The Recover Unsaved Work dialog: every design a crash left unsaved, to recover or discard.

Nothing is removed unless the user says so: "Later" keeps every entry for the next start (or
File → Recover Unsaved Work), "Discard" asks first.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
)

from hvdesigner.fileformat import autosave

if TYPE_CHECKING:
    from hvdesigner.ui.main_window import MainWindow


class RecoveryDialog(QDialog):
    def __init__(self, window: MainWindow, left: list[autosave.Entry]) -> None:
        super().__init__(window)
        self.window_ = window
        self.setObjectName("recovery-dialog")
        self.setWindowTitle("Recover unsaved work")
        intro = QLabel("The designer closed without saving this work, probably in a crash. "
                       "Recover a design to open it (then save it), or discard what you don't need.")
        intro.setWordWrap(True)
        intro.setTextFormat(Qt.TextFormat.PlainText)
        self.list = QListWidget()
        self.list.setObjectName("recoverable")
        for entry in left:
            item = QListWidgetItem(entry.describe())
            item.setData(Qt.ItemDataRole.UserRole, entry)
            item.setToolTip(entry.design_path or "never saved")
            self.list.addItem(item)
        self.list.setCurrentRow(0)
        self.list.itemDoubleClicked.connect(lambda _item: self.recover())
        buttons = QDialogButtonBox()
        self.recover_button = QPushButton("Recover")
        self.discard_button = QPushButton("Discard…")
        later = QPushButton("Later")
        buttons.addButton(self.recover_button, QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(self.discard_button, QDialogButtonBox.ButtonRole.DestructiveRole)
        buttons.addButton(later, QDialogButtonBox.ButtonRole.RejectRole)
        self.recover_button.clicked.connect(self.recover)
        self.discard_button.clicked.connect(self.discard)
        later.clicked.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.list)
        layout.addWidget(buttons)
        self.resize(560, 300)

    def _chosen(self) -> autosave.Entry | None:
        item = self.list.currentItem()
        return None if item is None else item.data(Qt.ItemDataRole.UserRole)

    def recover(self) -> None:
        entry = self._chosen()
        if entry is not None and self.window_.confirm_discard() and self.window_.recover(entry):
            self.list.takeItem(self.list.currentRow())
            if not self.list.count():
                self.accept()

    def discard(self) -> None:
        entry = self._chosen()
        if entry is None:
            return
        buttons = QMessageBox.StandardButton
        answer = self.window_.ask(self, "Discard unsaved work",
                                  f"Discard {entry.describe()}? This can't be undone.",
                                  buttons.Discard | buttons.Cancel)
        if answer == buttons.Discard:
            autosave.discard(entry.folder, entry.key)
            self.list.takeItem(self.list.currentRow())
            if not self.list.count():
                self.accept()
