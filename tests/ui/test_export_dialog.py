"""The deliverables from the designer: File → Export… (preview, options, errors said in the
dialog), Edit → Copy Diagram, File → Print."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QPalette
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import QApplication

from hvdesigner.ui.export_dialog import print_diagram
from hvdesigner.ui.main_window import MainWindow
from tests.ui.conftest import open_example


def _action(window: MainWindow, menu: str, text: str) -> Any:
    bar = next(a for a in window.menuBar().actions() if a.text() == menu).menu()
    return next(a for a in bar.actions() if a.text() == text)


def test_export_dialog_previews_and_writes_the_chosen_format(
        window: MainWindow, example: Any, qtbot: Any, tmp_path: Path) -> None:
    open_example(window, example, "three-tier-hosting.hvd")
    _action(window, "&File", "&Export…").trigger()
    dialog = window.exporting
    assert dialog.isVisible() and not dialog.preview.pixmap().isNull()
    dialog.format.setCurrentIndex(dialog.format.findData("drawio"))
    assert dialog.path.text().endswith("three-tier-hosting.drawio")
    target = tmp_path / "out.drawio"
    dialog.path.setText(str(target))
    qtbot.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)
    assert ET.parse(target).getroot().tag == "mxfile"
    assert dialog.message.text() == f"Exported {target}"
    dialog.path.setText(str(tmp_path / "missing" / "out.drawio"))
    qtbot.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)
    assert dialog.message.text().startswith("Not exported") and dialog.isVisible()


def test_a_refused_export_says_why_in_the_dialog(window: MainWindow, example: Any, qtbot: Any,
                                                 tmp_path: Path) -> None:
    open_example(window, example, "training.hvd")  # error findings: the script needs --force
    window.export_dialog()
    dialog = window.exporting
    dialog.format.setCurrentIndex(dialog.format.findData("ps1"))
    dialog.path.setText(str(tmp_path / "deploy.ps1"))
    qtbot.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)
    said = dialog.message.text()
    assert "Not exported" in said and not (tmp_path / "deploy.ps1").exists()
    # the dialog's own way to export anyway, not the command line's; the findings listed
    # scroll below the preview, without growing the dialog over it
    assert 'tick "Even with error findings"' in said and "--force" not in said
    assert said.count("\n") > 10
    QApplication.processEvents()
    preview = dialog.preview.geometry()
    listed = dialog.message.parentWidget().parentWidget()  # (the scroll area round it)
    assert not listed.geometry().intersects(preview) and listed.height() < preview.height()
    dialog.force.setChecked(True)
    qtbot.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)
    assert (tmp_path / "deploy.ps1").exists()


def test_copy_diagram_puts_a_picture_on_the_clipboard(window: MainWindow, example: Any) -> None:
    open_example(window, example, "two-sites-certificates.hvd")
    QApplication.clipboard().clear()
    _action(window, "&Edit", "Copy &Diagram").trigger()
    image = QApplication.clipboard().image()
    assert not image.isNull() and image.width() > 300


def test_printing_draws_the_diagram_on_the_page(window: MainWindow, example: Any, tmp_path: Path) -> None:
    open_example(window, example, "two-sites-certificates.hvd")
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(tmp_path / "printed.pdf"))
    print_diagram(window.document, [], printer)
    data = (tmp_path / "printed.pdf").read_bytes()
    assert data.startswith(b"%PDF") and len(data) > 5000


def test_an_option_counts_only_for_the_formats_it_applies_to_and_looks_so(
        window: MainWindow, example: Any) -> None:
    """(A box ticked for a diagram, then greyed out for a script, still asked the script for
    the selection alone, which it refuses; and greyed out, an option looked as ready as the
    others.)"""
    open_example(window, example, "three-tier-hosting.hvd")
    card = next(iter(window.scene.servers.values()))
    card.setSelected(True)
    window.export_dialog()
    dialog = window.exporting
    assert dialog.only_selection.text() == "Only the selection (1 item)"
    assert not dialog.only_selection.isChecked()  # (the whole design, unless asked)
    dialog.only_selection.setChecked(True)
    assert dialog.options().selection == (card.entity_id,)
    dialog.format.setCurrentIndex(dialog.format.findData("ps1"))
    assert not dialog.only_selection.isEnabled() and dialog.options().selection == ()
    dialog.force.setChecked(True)
    assert dialog.options().force
    dialog.format.setCurrentIndex(dialog.format.findData("drawio"))
    assert not dialog.options().force
    for box in (dialog.force, dialog.only_selection):
        assert box.isEnabled() == (box is dialog.only_selection)
    greyed, ready = dialog.force.palette(), dialog.only_selection.palette()
    role = QPalette.ColorRole.WindowText
    assert greyed.color(QPalette.ColorGroup.Disabled, role) != ready.color(
        QPalette.ColorGroup.Active, role)
    dialog.reject()
