"""The findings dock: the live list of findings, each with its fix; activating one selects and
centres its subjects on the canvas."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QHeaderView, QTableView, QVBoxLayout, QWidget

from hvdesigner.canvas.glyphs import SEVERITY_SYMBOL
from hvdesigner.rules.check import Finding

_COLUMNS = ("Severity", "Rule", "Finding", "Fix")
_SYMBOL = {s: f"{SEVERITY_SYMBOL[s]} {s}" for s in SEVERITY_SYMBOL}
Index = QModelIndex | QPersistentModelIndex


class FindingsModel(QAbstractTableModel):
    def __init__(self) -> None:
        super().__init__()
        self.findings: list[Finding] = []

    def set_findings(self, findings: list[Finding]) -> None:
        self.beginResetModel()
        self.findings = findings
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.findings)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return len(_COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = 0) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return _COLUMNS[section]
        return None

    def data(self, index: Index, role: int = 0) -> Any:
        f = self.findings[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            text = (_SYMBOL[f.severity], f.rule, f.message, f.fix)[index.column()]
            return f"{text} (suppressed: {f.reason})" if f.suppressed and index.column() == 2 else text
        if role == Qt.ItemDataRole.ToolTipRole:
            return f"{f.message}\n\nFix: {f.fix}" + (f"\n\nSuppressed: {f.reason}" if f.suppressed else "")
        if role == Qt.ItemDataRole.ForegroundRole and f.suppressed:
            return QColor("#888888")
        return None


class FindingsPanel(QWidget):
    """Lists findings; emits ``finding_activated`` with the finding clicked."""

    finding_activated = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = FindingsModel()
        self.table = QTableView(self)
        self.table.setObjectName("findings")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QTableView.SelectionMode.SingleSelection)
        self.table.verticalHeader().hide()
        self.table.setWordWrap(False)
        self.table.verticalHeader().setDefaultSectionSize(22)
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        header = self.table.horizontalHeader()
        # Fixed widths: sizing to contents would read every row of a big design on each change.
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        for column, width in enumerate((90, 70, 640)):
            header.resizeSection(column, width)
        header.setStretchLastSection(True)
        self.table.clicked.connect(self._activated)
        self.table.activated.connect(self._activated)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.table)

    def set_findings(self, findings: list[Finding]) -> None:
        self.model.set_findings(findings)

    def _activated(self, index: QModelIndex) -> None:
        self.finding_activated.emit(self.model.findings[index.row()])
