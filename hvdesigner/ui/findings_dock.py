"""The findings dock: the live list of findings, each with its fix, filtered by severity with
counts; activating one selects and centres its subjects on the canvas, and its context menu
shows it there, suppresses it with a reason, or takes its suppression back.

The list follows the checker's delta: after an edit, each finding removed or added is found
by bisection in the sorted list and its row removed or inserted, so an edit costs what it
changed, not the 80,000 findings of a large design (a selected row stays selected). Only a new
design, a large delta or a change of filter lists anew.
"""

from __future__ import annotations

import html
from bisect import bisect_left
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QItemSelectionModel,
    QModelIndex,
    QPersistentModelIndex,
    QPoint,
    Qt,
    Signal,
)
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QMenu,
    QTableView,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from hvdesigner.canvas.glyphs import SEVERITY_SYMBOL
from hvdesigner.editing import edits
from hvdesigner.editing.document import Document
from hvdesigner.rules.check import Finding
from hvdesigner.rules.engine import FindingsDelta, sort_key

_COLUMNS = ("Severity", "Rule", "Finding", "Fix")
_SYMBOL = {s: f"{SEVERITY_SYMBOL[s]} {s}" for s in SEVERITY_SYMBOL}
SEVERITIES = ("error", "warning", "info")
_NOUN = {"error": ("error", "errors"), "warning": ("warning", "warnings"), "info": ("info", "info")}
Index = QModelIndex | QPersistentModelIndex
#: A delta larger than this is merged into the list and the list shown anew (row by row, a
#: first check's 80,000 findings would take seconds).
PATCH_LIMIT = 500


def count_text(severity: str, count: int) -> str:
    """How a count of unsuppressed findings reads: "✖ 3 errors"."""
    return f"{SEVERITY_SYMBOL[severity]} {count} {_NOUN[severity][count != 1]}"


def ask_reason(parent: QWidget, finding: Finding) -> str | None:
    """Ask why a finding is acceptable; None when the user cancels."""
    dialog = QInputDialog(parent)
    dialog.setObjectName("suppress-dialog")
    dialog.setWindowTitle(f"Suppress {finding.rule}")
    dialog.setInputMode(QInputDialog.InputMode.TextInput)
    text = (f"{finding.message}\n\nWhy is this acceptable? The reason is saved with the "
            "design, and the finding stays listed as suppressed.")
    # (the label is the text box's buddy, so Qt reads "&" in it as marking a shortcut key:
    # a name such as "R&D" lost its "&" and had its next letter underlined; "&&" is one "&")
    dialog.setLabelText(text.replace("&", "&&"))
    for label in dialog.findChildren(QLabel):
        label.setTextFormat(Qt.TextFormat.PlainText)  # (the message holds design strings)
        label.setWordWrap(True)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return None
    return dialog.textValue()


def _bucket(finding: Finding) -> str:
    """Which count a finding is in."""
    return "suppressed" if finding.suppressed else finding.severity


class FindingsModel(QAbstractTableModel):
    """All findings (``all_findings``, in :func:`sort_key` order) and the rows the filter
    shows (``findings``, the same list when nothing is filtered out), with the counts the
    toggles and the status bar show."""

    def __init__(self) -> None:
        super().__init__()
        self.all_findings: list[Finding] = []
        self.findings: list[Finding] = []
        self._listed: dict[tuple[str, tuple[str, ...]], Finding] = {}  # by key
        self.counts: dict[str, int] = dict.fromkeys((*SEVERITIES, "suppressed"), 0)
        self.severities: set[str] = set(SEVERITIES)
        self.suppressed = True  # suppressed findings listed (greyed) too

    def set_findings(self, findings: list[Finding]) -> None:
        """List these findings (sorted by :func:`sort_key`) anew."""
        counts = dict.fromkeys((*SEVERITIES, "suppressed"), 0)
        for f in findings:
            counts[_bucket(f)] += 1
        self.all_findings = findings
        self._listed = {f.key: f for f in findings}
        self.counts = counts
        self._refilter()

    def apply_delta(self, delta: FindingsDelta) -> None:
        """Patch the list with what an edit changed: row by row, or (a large delta) anew."""
        gone = [self._listed[f.key] for f in delta.removed if f.key in self._listed]
        if len(gone) + len(delta.added) > PATCH_LIMIT:
            keys = {f.key for f in gone}
            kept = [f for f in self.all_findings if f.key not in keys]
            # (two sorted runs; none kept, as when a design's first check is listed, the
            # delta's own order: sorting 45,000 findings again took 30 ms at 5,000 hosts)
            self.set_findings(sorted(kept + delta.added, key=sort_key) if kept
                              else list(delta.added))
            return
        for finding in gone:
            self._remove(finding)
        for finding in delta.added:
            self._insert(finding)

    def row_of(self, key: tuple[str, tuple[str, ...]]) -> int | None:
        """The row of the finding with this key, if it is listed and shown."""
        finding = self._listed.get(key)
        if finding is None or not self._shows(finding):
            return None
        return bisect_left(self.findings, sort_key(finding), key=sort_key)

    def _shows(self, finding: Finding) -> bool:
        return finding.severity in self.severities and (self.suppressed or not finding.suppressed)

    def _remove(self, finding: Finding) -> None:
        del self._listed[finding.key]
        self.counts[_bucket(finding)] -= 1
        place = sort_key(finding)
        shown = self.findings
        if self._shows(finding):
            row = bisect_left(shown, place, key=sort_key)
            self.beginRemoveRows(QModelIndex(), row, row)
            del shown[row]
            self.endRemoveRows()
        if shown is not self.all_findings:
            del self.all_findings[bisect_left(self.all_findings, place, key=sort_key)]

    def _insert(self, finding: Finding) -> None:
        self._listed[finding.key] = finding
        self.counts[_bucket(finding)] += 1
        place = sort_key(finding)
        shown = self.findings
        if self._shows(finding):
            row = bisect_left(shown, place, key=sort_key)
            self.beginInsertRows(QModelIndex(), row, row)
            shown.insert(row, finding)
            self.endInsertRows()
        if shown is not self.all_findings:
            self.all_findings.insert(bisect_left(self.all_findings, place, key=sort_key), finding)

    def set_filter(self, severities: set[str], suppressed: bool) -> None:
        self.severities = set(severities)
        self.suppressed = suppressed
        self._refilter()

    def _refilter(self) -> None:
        self.beginResetModel()
        if self.suppressed and self.severities >= set(SEVERITIES):
            self.findings = self.all_findings
        else:
            shown, suppressed = self.severities, self.suppressed
            self.findings = [f for f in self.all_findings
                             if f.severity in shown and (suppressed or not f.suppressed)]
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
        if role == Qt.ItemDataRole.ToolTipRole:  # rich text, every design string escaped
            text = f"{f.message}\n\nFix: {f.fix}" + (f"\n\nSuppressed: {f.reason}" if f.suppressed else "")
            return f"<qt>{html.escape(text).replace(chr(10), '<br>')}</qt>"
        if role == Qt.ItemDataRole.ForegroundRole and f.suppressed:
            return QColor("#888888")
        return None


class FindingsPanel(QWidget):
    """Lists findings; emits ``finding_activated`` with the finding clicked or shown on the
    canvas from its context menu, whose other entries edit the document given to
    :meth:`set_document`."""

    finding_activated = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.document: Document | None = None
        #: how the panel asks for a suppression's reason; tests replace it to answer
        self.ask_reason: Callable[[QWidget, Finding], str | None] = ask_reason
        self.menu: QMenu | None = None  # the context menu last shown
        self.model = FindingsModel()
        self.toggles: dict[str, QToolButton] = {}
        bar = QHBoxLayout()
        bar.setContentsMargins(4, 2, 4, 0)
        for kind in (*SEVERITIES, "suppressed"):
            button = QToolButton(self)
            button.setObjectName(f"filter-{kind}")
            button.setCheckable(True)
            button.setChecked(True)
            button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
            button.toggled.connect(self._filter_changed)
            self.toggles[kind] = button
            bar.addWidget(button)
        self.toggles["suppressed"].setToolTip("List suppressed findings (greyed) too")
        bar.addStretch(1)
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
        self.table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.table.customContextMenuRequested.connect(self._context_menu)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addLayout(bar)
        layout.addWidget(self.table)
        self._show_counts()

    def set_document(self, document: Document) -> None:
        self.document = document

    def set_findings(self, findings: list[Finding]) -> None:
        """List these findings (sorted by :func:`sort_key`) anew."""
        self._keeping_place(lambda: self.model.set_findings(findings))
        self._show_counts()

    def apply_delta(self, delta: FindingsDelta) -> None:
        """Follow what an edit changed in the findings."""
        self._keeping_place(lambda: self.model.apply_delta(delta))
        self._show_counts()

    def _show_counts(self) -> None:
        counts = self.model.counts
        for severity in SEVERITIES:
            self.toggles[severity].setText(count_text(severity, counts[severity]))
        self.toggles["suppressed"].setText(f"{counts['suppressed']} suppressed")

    def _filter_changed(self) -> None:
        shown = {s for s in SEVERITIES if self.toggles[s].isChecked()}
        suppressed = self.toggles["suppressed"].isChecked()
        self._keeping_place(lambda: self.model.set_filter(shown, suppressed))

    def _keeping_place(self, change: Callable[[], object]) -> None:
        """Change the rows, keeping the selected finding selected (a reset of the model drops
        the selection, and a finding whose mark changed is removed and inserted anew)."""
        selected = self.selected_finding()
        change()
        if selected is None:
            return
        row = self.model.row_of(selected.key)
        selection = self.table.selectionModel()
        if row is None:
            selection.clearSelection()
        elif [index.row() for index in selection.selectedRows()] != [row]:
            flags = QItemSelectionModel.SelectionFlag  # (selected, not made current: that scrolls)
            selection.select(self.model.index(row, 0), flags.ClearAndSelect | flags.Rows)

    def selected_finding(self) -> Finding | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.findings[rows[0].row()] if rows else None

    def _activated(self, index: QModelIndex) -> None:
        self.finding_activated.emit(self.model.findings[index.row()])

    # ------------------------------------------------------------------ context menu
    def _context_menu(self, pos: QPoint) -> None:
        """The menu of the finding under the mouse (``pos``: in the table's viewport)."""
        index = self.table.indexAt(pos)
        if not index.isValid():
            return
        finding = self.model.findings[index.row()]
        self.table.selectionModel().select(
            index, QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows)
        if self.menu is not None:
            self.menu.deleteLater()  # (each right-click makes a menu: keep one, not all)
        menu = QMenu(self)
        menu.setObjectName("finding-menu")
        menu.addAction("Show on canvas", lambda: self.finding_activated.emit(finding))
        if finding.suppressed:
            menu.addAction("Un-suppress", lambda: self.unsuppress(finding))
        else:
            menu.addAction("Suppress…", lambda: self.suppress(finding))
        self.menu = menu
        menu.popup(self.table.viewport().mapToGlobal(pos))

    def suppress(self, finding: Finding) -> None:
        """Accept a finding with a reason. The suppression names its first subject, the most
        specific (a disk before its VM, a link before its servers): the checker matches a
        suppression naming any subject of a finding, so naming a server would also accept
        this rule's findings on every other link of that server."""
        if self.document is None:
            return
        reason = self.ask_reason(self, finding)
        if reason is not None:
            self.document.do(edits.suppress, finding.rule, finding.subjects[0], reason)

    def unsuppress(self, finding: Finding) -> None:
        if self.document is not None:
            self.document.do(edits.unsuppress_finding, finding.rule, finding.subjects)
