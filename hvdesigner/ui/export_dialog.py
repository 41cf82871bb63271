"""File → Export…, File → Print… and Edit → Copy Diagram: the deliverables of
:mod:`hvdesigner.exporters.formats` from the designer, as ``hvdesigner export`` makes them.

The dialog offers every format with the options that apply to it, a preview of the diagram as
it will be drawn (theme, selection, findings), and writes atomically beside the chosen file;
what can't be made is said in the dialog, which stays open.
"""

from __future__ import annotations

import math
import os
from collections.abc import Sequence

from PySide6.QtCore import QSizeF, Qt
from PySide6.QtGui import QGuiApplication, QImage, QPainter, QPixmap
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFileDialog,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from hvdesigner.canvas.export import drawing, render_png
from hvdesigner.editing.document import Document
from hvdesigner.editing.vocabulary import plural
from hvdesigner.exporters.formats import (
    FORMATS,
    BlockedByErrors,
    ExportOptions,
    ExportRefused,
    renderer,
)
from hvdesigner.fileformat.writer import DesignSaveError, write_atomic
from hvdesigner.rules.check import Finding

DIAGRAMS = ("png", "svg", "pdf")
PREVIEW = QSizeF(560, 300)
#: How many lines of a message the dialog shows (a longer one scrolls).
MESSAGE_LINES = 6
#: The box that exports a script despite error findings, and how a refusal points to it.
FORCE_BOX = "Even with error findings (the blocked steps commented out)"
FORCE = 'tick "Even with error findings"'

#: The file name extension of each format.
EXTENSIONS = {"runbook": "md", "md": "md"}


def _findings(document: Document) -> list[Finding]:
    """The findings as of now (the live check may not have run since the last edit)."""
    document.check_now()
    return list(document.checker.findings())


def _options(document: Document, selection: Sequence[str], theme: str = "print",
             scale: float = 1.0, findings: bool = True, force: bool = False) -> ExportOptions:
    source = os.path.basename(document.path or document.template or "untitled.hvd")
    return ExportOptions(theme, scale, tuple(selection), findings, force, source)


def preview_image(document: Document, options: ExportOptions, box: QSizeF = PREVIEW) -> QImage:
    """The diagram as the export draws it, shrunk to fit ``box``."""
    findings = _findings(document)
    with drawing(document.design, findings, options) as d:
        page = d.overview()
        size = page.parts(document.design.title, options)[2]
        scale = min(1.0, box.width() / size.width(), box.height() / size.height())
        image = QImage(max(1, math.ceil(size.width() * scale)), max(1, math.ceil(size.height() * scale)),
                       QImage.Format.Format_ARGB32_Premultiplied)
        painter = QPainter(image)
        painter.scale(scale, scale)
        d.paint(painter, page, size)
        painter.end()
    return image


def copy_diagram(document: Document, selection: Sequence[str]) -> None:
    """The diagram (of the selection, if any) on the clipboard, as a picture to paste into a
    document or a slide."""
    options = _options(document, selection)
    data = render_png(document.design, _findings(document), options)
    QGuiApplication.clipboard().setImage(QImage.fromData(data, "PNG"))


def print_diagram(document: Document, selection: Sequence[str], printer: QPrinter) -> None:
    """The diagram on the printer's page, fitted and centred, in the print theme."""
    options = _options(document, selection)
    with drawing(document.design, _findings(document), options) as d:
        page = d.overview()
        size = page.parts(document.design.title, options)[2]
        painter = QPainter(printer)
        area = printer.pageRect(QPrinter.Unit.DevicePixel)
        scale = min(area.width() / size.width(), area.height() / size.height())
        painter.translate((area.width() - size.width() * scale) / 2,
                          (area.height() - size.height() * scale) / 2)
        painter.scale(scale, scale)
        d.paint(painter, page, size)
        painter.end()


def ask_and_print(parent: QWidget, document: Document, selection: Sequence[str]) -> None:
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    if QPrintDialog(printer, parent).exec() == QDialog.DialogCode.Accepted:
        print_diagram(document, selection, printer)


class ExportDialog(QDialog):
    """Pick a format, its options and a file; see a preview; export."""

    def __init__(self, parent: QWidget, document: Document, selection: Sequence[str]) -> None:
        super().__init__(parent)
        self.setObjectName("export-dialog")
        self.setWindowTitle("Export")
        self.document, self.selection = document, list(selection)
        self.format = QComboBox()
        for name, (_, _, what) in sorted(FORMATS.items()):
            self.format.addItem(f"{what[:1].upper()}{what[1:]} (.{EXTENSIONS.get(name, name)})", name)
        self.theme = QComboBox()
        for theme in ("print", "light", "dark"):
            self.theme.addItem(theme.capitalize(), theme)
        self.scale = QDoubleSpinBox()
        self.scale.setRange(0.25, 8)
        self.scale.setValue(2)
        self.scale.setSingleStep(0.25)
        # (the whole design unless asked: a preview of a lone selected card was easy to miss)
        self.only_selection = QCheckBox(f"Only the selection ({plural(len(self.selection), 'item')})")
        self.only_selection.setEnabled(bool(self.selection))
        self.findings = QCheckBox("Findings (badges, lists)")
        self.findings.setChecked(True)
        self.force = QCheckBox(FORCE_BOX)
        self.path = QLineEdit()
        self.path.setObjectName("export-path")
        browse = QPushButton("Browse…")
        browse.clicked.connect(self._browse)
        where = QHBoxLayout()
        where.addWidget(self.path)
        where.addWidget(browse)
        self.preview = QLabel()
        self.preview.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.preview.setMinimumSize(PREVIEW.toSize())
        self.message = QLabel()
        self.message.setObjectName("export-message")
        self.message.setWordWrap(True)
        self.message.setTextFormat(Qt.TextFormat.PlainText)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        # (a refusal lists the findings that block it: a few lines shown, the rest scrolled,
        # not a dialog grown past the screen with the message over the preview)
        said = QScrollArea()
        said.setWidget(self.message)
        said.setWidgetResizable(True)
        said.setFrameShape(QFrame.Shape.NoFrame)
        said.setMaximumHeight(self.message.fontMetrics().lineSpacing() * MESSAGE_LINES + 4)
        form = QFormLayout()
        form.addRow("Format", self.format)
        form.addRow("Colours", self.theme)
        form.addRow("PNG scale", self.scale)
        form.addRow("", self.only_selection)
        form.addRow("", self.findings)
        form.addRow("", self.force)
        form.addRow("File", where)
        buttons = QDialogButtonBox()
        self.export_button = buttons.addButton("Export", QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(QDialogButtonBox.StandardButton.Close)
        self.export_button.clicked.connect(self.export)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.preview)
        layout.addWidget(said)
        layout.addWidget(buttons)
        for widget in (self.format, self.theme):
            widget.currentIndexChanged.connect(self._refresh)
        for box in (self.only_selection, self.findings):
            box.toggled.connect(self._refresh)
        self._refresh()

    def chosen_format(self) -> str:
        return str(self.format.currentData())

    def options(self) -> ExportOptions:
        """What the options that apply to the chosen format say (a box ticked for another
        format, then greyed out, says nothing)."""
        def ticked(box: QCheckBox) -> bool:
            return box.isEnabled() and box.isChecked()

        return _options(self.document, self.selection if ticked(self.only_selection) else (),
                        str(self.theme.currentData()), self.scale.value(), self.findings.isChecked(),
                        ticked(self.force))

    def _refresh(self) -> None:
        """Offer the options that apply, name the file after the format, redraw the preview."""
        fmt = self.chosen_format()
        diagram = fmt in DIAGRAMS or fmt == "drawio"
        self.theme.setEnabled(diagram)
        self.scale.setEnabled(fmt == "png")
        self.only_selection.setEnabled(diagram and bool(self.selection))
        self.force.setEnabled(fmt == "ps1")
        stem = os.path.splitext(os.path.basename(self.document.path or self.document.template
                                                 or "design.hvd"))[0]
        folder = os.path.dirname(self.path.text()) or os.path.dirname(self.document.path or "") \
            or os.path.expanduser("~")
        self.path.setText(os.path.join(folder, f"{stem}.{EXTENSIONS.get(fmt, fmt)}"))
        self.message.clear()
        try:
            image = preview_image(self.document, self.options())
        except ExportRefused as e:
            self.preview.setText(str(e))
            return
        self.preview.setPixmap(QPixmap.fromImage(image))

    def _browse(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, "Export to", self.path.text())
        if path:
            self.path.setText(path)

    def export(self) -> bool:
        """Write the deliverable; say why when it can't be made (the dialog stays open)."""
        path = self.path.text().strip()
        if not path:
            self.message.setText("Choose a file to export to.")
            return False
        try:
            content = renderer(self.chosen_format())(
                self.document.design, _findings(self.document), self.options())
            write_atomic(os.path.abspath(path), content)
        except BlockedByErrors as e:
            self.message.setText(f"Not exported: {e.said(FORCE)}")
            return False
        except (ExportRefused, DesignSaveError) as e:
            self.message.setText(f"Not exported: {e}")
            return False
        self.message.setText(f"Exported {path}")
        return True
