"""Crash recovery for every design (issue 8, point 5): unsaved work is kept per design in the
user's data folder, every piece a crash left is offered at start, and none is overwritten or
removed before the user has chosen."""

from __future__ import annotations

import os
import time
from pathlib import Path
from typing import Any

from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QMessageBox

from hvdesigner.editing import edits
from hvdesigner.fileformat import autosave
from hvdesigner.ui.main_window import MainWindow
from tests.ui.conftest import Answers, open_example

Button = QMessageBox.StandardButton


def _crash(window: MainWindow) -> None:
    """The window goes without a clean close: its autosave stays behind."""
    window.document.check_now()  # (nothing left pending for the window that "died")
    window.document.autosave()
    window.document.undo_stack.setClean()
    window.document._recovered = False
    window.document = None


def _next_start(window: MainWindow, qtbot: Any, answers: Answers) -> MainWindow:
    again = MainWindow(QSettings(window.settings.fileName(), QSettings.Format.IniFormat),
                       window.recovery_folder, ask=answers)
    qtbot.addWidget(again)
    again.show()
    return again


def test_a_design_never_saved_is_offered_back_after_a_crash(
        window: MainWindow, qtbot: Any, answers: Answers) -> None:
    window.document.do(edits.add_site, (0, 0))
    window.document.do(edits.set_attribute, "title", "Draft for Contoso")
    _crash(window)
    again = _next_start(window, qtbot, answers)
    (entry,) = again.crashed_work()
    assert entry.design_path is None and "Draft for Contoso" in entry.describe()
    again.offer_recovery()
    dialog = again.recovery_dialog
    assert dialog.list.count() == 1
    qtbot.mouseClick(dialog.recover_button, Qt.MouseButton.LeftButton)
    assert again.document.design.title == "Draft for Contoso" and len(again.document.design.sites) == 1
    assert again.document.dirty and again.document.path is None
    assert not again.crashed_work()  # it is this window's now
    again.document.do(edits.add_site, (900, 0))
    again.document.autosave()
    assert len(autosave.entries(window.recovery_folder)) == 1  # the same entry, taken over
    answers.queue.append(Button.Discard)
    again.close()
    assert autosave.entries(window.recovery_folder) == []


def test_work_is_offered_even_when_the_file_was_touched_after_the_crash(
        window: MainWindow, example: Any, qtbot: Any, answers: Answers) -> None:
    path = open_example(window, example, "two-sites-certificates.hvd")
    window.document.do(edits.rename, next(iter(window.document.design.sites)), "Unsaved name")
    _crash(window)
    later = time.time() + 60
    os.utime(path, (later, later))  # a git checkout after the crash
    again = _next_start(window, qtbot, answers)
    answers.queue.append(Button.Yes)
    assert again.open_path(str(path))
    assert answers.asked[-1] == "Recover unsaved work"
    assert "Unsaved name" in {s.name for s in again.document.design.sites.values()}


def test_no_autosave_is_overwritten_or_removed_before_the_user_chooses(
        window: MainWindow, example: Any, qtbot: Any, answers: Answers) -> None:
    path = open_example(window, example, "two-sites-certificates.hvd")
    site = next(iter(window.document.design.sites))
    window.document.do(edits.rename, site, "First crash")
    _crash(window)
    answers.queue.append(Button.No)  # open the file, keep the work for later
    again = _next_start(window, qtbot, answers)
    assert again.open_path(str(path))
    again.document.do(edits.rename, site, "Second session")
    again.document.autosave()
    kept = {autosave.load_entry(e).sites[site].name for e in autosave.entries(window.recovery_folder)}
    assert {"First crash", "Second session"} <= kept
    again.offer_recovery()
    dialog = again.recovery_dialog
    assert [dialog.list.item(i).text().split(" — ")[0] for i in range(dialog.list.count())] \
        == ["two-sites-certificates.hvd"]
    answers.queue.append(Button.Cancel)
    qtbot.mouseClick(dialog.discard_button, Qt.MouseButton.LeftButton)
    assert dialog.list.count() == 1  # cancelled: still there
    answers.queue.append(Button.Discard)
    qtbot.mouseClick(dialog.discard_button, Qt.MouseButton.LeftButton)
    kept = {autosave.load_entry(e).sites[site].name for e in autosave.entries(window.recovery_folder)}
    assert kept == {"Second session"}


def test_nothing_is_autosaved_beside_the_design(window: MainWindow, example: Any) -> None:
    path = open_example(window, example, "two-sites-certificates.hvd")
    window.document.do(edits.rename, next(iter(window.document.design.sites)), "X")
    window.document.autosave()
    assert sorted(p.name for p in Path(path).parent.iterdir() if p.name.startswith(".")) == []
    assert Path(window.document.sidecar()).parent == Path(window.recovery_folder)
